#!/usr/bin/env bash
# Speed figures of issue 15, to rerun after a change: whole-process times of the
# Wuchuan example (PDF+DOCX, PDF alone) paired with a Go hello-world, the throughput of
# `gongwen render` over 200 files, the warm in-process benchmarks and, when valgrind is
# installed, instruction counts (which do not depend on what else the machine runs).
#
#   scripts/bench.sh            # everything (about two minutes)
#   ROUNDS=5 RUNS=40 scripts/bench.sh
#   SKIP_CALLGRIND=1 SKIP_WARM=1 scripts/bench.sh   # (0 or empty: do not skip)
#   RT=1 scripts/bench.sh    # the timed runs at real-time priority (chrt -f 1, needs root)
#
# RT=1 is for a machine other work keeps busy: the timed processes then take the cores
# as on an idle machine (the kernel still leaves others 5 % of each second), so the
# wall times and the paired ratio say what the code does rather than what the
# neighbours do. Say so when quoting its figures.
# Needs Go, hyperfine, python3 and GNU time (Debian: apt-get install hyperfine time); valgrind is
# optional. CI does not run it. Wall times on a shared or loaded machine are inflated
# and noisy: compare the paired ratio and the instruction counts, not the milliseconds.
#
# Everything is built and written under a temporary directory (mktemp: $TMPDIR, else
# /tmp); TMPDIR=/some/dir puts the throughput's files on another filesystem. The
# filesystem is printed with the throughput because it can dominate the "over the
# previous files" figure: on an ext4 without a journal the inode allocator skips
# every inode deleted in the last 5 s (300 s while its inode-table block is dirty),
# scanning past them for each new file, and a run that replaces 400 files deletes
# 400 (a fifth of the run's CPU went there on the machine of issue 15; a journaled
# ext4, the usual configuration, skips nothing). The whole-process runs replace their
# output too, and a rename over a file is not cheap on ext4: it allocates the new
# file's blocks and starts writing it out (auto_da_alloc, so that a crash cannot leave
# it empty), and when mounted with discard and without a journal it also discards the
# replaced file's blocks before it returns (a journaled ext4 defers that to its commit).
# On the machine of issue 15, whose root is both, renaming a 150 KB file over one
# already on disk took 0.5 ms (0.3 of it the discard; unlinking such a file 0.32 ms),
# the CLI's rename 0.2-0.95 ms (strace -T, growing as a run goes on), against 0.07-0.46
# ms on a journaled ext4 loop image, and 0.02 ms to a new name.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
ROUNDS=${ROUNDS:-3}     # hyperfine rounds, alternating the commands, for the paired ratio
RUNS=${RUNS:-30}        # runs per command and round
FILES=${FILES:-200}     # inputs of the throughput run

for tool in go hyperfine python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool is required" >&2; exit 2; }
done

# The timed commands' prefix: chrt -f 1 with RT=1.
timed=()
if [ -n "${RT:-}" ] && [ "${RT}" != 0 ]; then
  command -v chrt >/dev/null || { echo "bench.sh: RT=1 needs chrt (util-linux)" >&2; exit 2; }
  timed=(chrt -f 1)
fi

# fs_of DIR: DIR's filesystem type and device, and for ext4 whether it has a journal
# (jbd2 lists a journaled device under /proc/fs/jbd2 as NAME-N).
fs_of() {
  local fstype src opts dev
  read -r fstype src opts < <(findmnt -n -o FSTYPE,SOURCE,OPTIONS -T "$1" 2>/dev/null || echo "? ? ?")
  printf '%s on %s' "$fstype" "$src"
  if [ "$fstype" = ext4 ]; then
    dev=$(basename "$src")
    if compgen -G "/proc/fs/jbd2/$dev-*" >/dev/null; then
      printf ', journaled'
    else
      printf ', no journal (new files scan past the recently deleted inodes)'
      case ",$opts," in *,discard,*) printf ', discard (a replaced file'"'"'s blocks are discarded as it goes)' ;; esac
    fi
    case ",$opts," in *,noauto_da_alloc,*) ;; *) printf ', auto_da_alloc (a rename over a file writes the new one out)' ;; esac
    printf ': see the top of this script'
  fi
  echo
}

# skip NAME: whether $NAME asks to skip a part (set, and neither empty nor 0).
skip() { local v=${!1:-}; [ -n "$v" ] && [ "$v" != 0 ]; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD 2>/dev/null || echo '?') on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)${timed[*]:+; timed runs under ${timed[*]}}"

# The static gongwen with the GPL faces beside it, and the hello-world it is paired with.
export CGO_ENABLED=0
. "$repo/scripts/lib/bench-binaries.sh"
build_bench_binaries "$tmp" "$repo"

ex="$repo/examples/wuchuan-2023.json"
both="$tmp/gongwen render $ex -o $tmp/out -f pdf,docx"
pdf="$tmp/gongwen render $ex -o $tmp/out -f pdf"
# The document-form example (版头, seal, 版记): no goal of its own, for the seal's cost.
sealed="$tmp/gongwen render $repo/examples/all-fields-document.json -o $tmp/out -f pdf,docx"
hello="$tmp/hellobin"
$both >/dev/null
echo "# output: $(cd "$tmp/out" && sha256sum wuchuan-2023.pdf wuchuan-2023.docx | awk '{printf "%s %.12s  ", $2, $1}')"
echo "#         $(stat -c '%n %s B' "$tmp/out/wuchuan-2023.pdf" "$tmp/out/wuchuan-2023.docx" | sed "s|$tmp/out/||g" | paste -sd' ')"

# Paired whole-process timings: each round runs hello-world and both gongwen commands
# back to back, so that a change of load affects all three; the ratio is per round.
echo
echo "== whole process (hyperfine -N, $ROUNDS rounds x $RUNS runs; median ms)"
echo "each run replaces the last one's output, on: $(fs_of "$tmp")"
for r in $(seq "$ROUNDS"); do
  "${timed[@]}" hyperfine -N --style none --warmup 5 --runs "$RUNS" --export-json "$tmp/round$r.json" \
    -n hello "$hello" -n pdf+docx "$both" -n pdf "$pdf" -n sealed "$sealed" >/dev/null 2>"$tmp/hf.err" || { cat "$tmp/hf.err" >&2; exit 1; }
done
python3 - "$tmp" "$ROUNDS" <<'EOF'
import json, statistics, sys
tmp, rounds = sys.argv[1], int(sys.argv[2])
med, cpu = {}, {}
for r in range(1, rounds + 1):
    for res in json.load(open(f"{tmp}/round{r}.json"))["results"]:
        med.setdefault(res["command"], []).append(statistics.median(res["times"]) * 1000)
        cpu.setdefault(res["command"], []).append((res["user"] + res["system"]) * 1000)
h = med["hello"]
print(f"{'':10} {'wall ms per round':>30}   median   x hello-world (per round)   cpu ms (mean user+sys)")
for name in ("hello", "pdf+docx", "pdf", "sealed"):
    ms = med[name]
    ratios = [m / hh for m, hh in zip(ms, h)]
    print(f"{name:10} {' '.join(f'{m:6.2f}' for m in ms):>30}   {statistics.median(ms):6.2f}   "
          f"{statistics.median(ratios):5.2f}x ({' '.join(f'{x:.2f}' for x in ratios)})   {statistics.median(cpu[name]):6.2f}")
print("targets (issue 15): pdf+docx <= 12 ms and <= 8x hello-world; pdf <= 9 ms (sealed: the document-form example, pdf+docx)")
EOF

# Peak memory and minor page faults of one process (the median of 11), read by GNU
# time: a child forked from python would report python's own RSS, which its
# ru_maxrss carries over the exec (Linux keeps the larger of the two).
"${timed[@]}" python3 - "$hello" "$both" "$pdf" <<'EOF'
import statistics, subprocess, sys
for label, cmd in zip(("hello", "pdf+docx", "pdf"), sys.argv[1:]):
    rss, faults = [], []
    for _ in range(11):
        r = subprocess.run(["/usr/bin/time", "-f", "%M %R"] + cmd.split(), stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, check=True)
        kb, minflt = r.stderr.split()[-2:]
        rss.append(int(kb) / 1024)
        faults.append(int(minflt))
    print(f"{label:10} max RSS {statistics.median(rss):5.1f} MB, {statistics.median(faults):5.0f} minor page faults")
EOF

# Throughput: one process renders FILES inputs, GOMAXPROCS at a time, into an empty
# directory (a new batch: each run's outputs are moved aside before the next, not
# deleted, since ext4 without a journal then scans the deleted inodes on every file
# it creates), and again over the previous run's files (re-rendering a batch in
# place: each rename replaces a file).
echo
echo "== throughput: gongwen render over $FILES files, PDF+DOCX"
echo "outputs on: $(fs_of "$tmp")"
mkdir -p "$tmp/many"
for i in $(seq "$FILES"); do cp "$ex" "$tmp/many/r$i.json"; done
printf '#!/bin/sh\n[ -d "%s" ] && mv "%s" "%s.$(date +%%s%%N)"\nexit 0\n' "$tmp/manyout" "$tmp/manyout" "$tmp/old" >"$tmp/aside.sh"
many="$tmp/gongwen render $(printf "$tmp/many/r%d.json " $(seq "$FILES")) -o $tmp/manyout -f pdf,docx"
"${timed[@]}" hyperfine -N --style none --warmup 1 --runs 5 --export-json "$tmp/many.json" \
  --prepare "sh $tmp/aside.sh" "$many" >/dev/null 2>"$tmp/hf.err" || { cat "$tmp/hf.err" >&2; exit 1; }
"${timed[@]}" hyperfine -N --style none --warmup 1 --runs 5 --export-json "$tmp/manyover.json" \
  "$many" >/dev/null 2>"$tmp/hf.err" || { cat "$tmp/hf.err" >&2; exit 1; }
python3 - "$FILES" "$(nproc)" "$tmp/many.json" "$tmp/manyover.json" <<'EOF'
import json, statistics, sys
n, cores = float(sys.argv[1]), int(sys.argv[2])
for label, path in (("into an empty directory", sys.argv[3]), ("over the previous files", sys.argv[4])):
    res = json.load(open(path))["results"][0]
    t, cpu = statistics.median(res["times"]), res["user"] + res["system"]
    print(f"{label}: {n / t:.0f} reports/s (median {t * 1000:.0f} ms for {n:.0f}); "
          f"CPU {cpu * 1000 / n:.2f} ms a report: at most {n / cpu * cores:.0f} reports/s on {cores} idle cores")
print("target >= 400 reports/s on 2 cores")
EOF

# Warm in-process renders (fonts and template loaded): the Go benchmarks.
if ! skip SKIP_WARM; then
  echo
  echo "== warm benchmarks (go test -bench; targets: PDF <= 2.5 ms, DOCX <= 0.3 ms)"
  go test -run '^$' -bench '^BenchmarkRenderWuchuan(20x|Parts)?$' -benchtime 100x -count 3 ./internal/pdf ./internal/docx 2>&1 |
    grep -E '^(Benchmark|ok|FAIL|pkg)' || true
  go test -run '^$' -bench '^BenchmarkRenderWuchuan(Both|Concurrent|Parts)$' -benchtime 100x -count 3 ./internal/render 2>&1 |
    grep -E '^(Benchmark|FAIL)' || true
  # The DOCX's 0.3 ms is within the spread of 100 renders: its median over rounds of
  # 2,000, at Go's default GOGC (the goal's) and at the GOGC=400 every gongwen process
  # sets (internal/gcpolicy), the rounds alternating; joined into one slice (Render:
  # the HTTP and S3 edges) and in parts written out and released (RenderParts: the
  # CLI).
  (cd internal/docx && go test -c -o "$tmp/docx.test" . >/dev/null)
  for i in 1 2 3 4 5; do
    for bench in BenchmarkRenderWuchuan BenchmarkRenderWuchuanParts; do
      for g in 100 400; do
        printf '%s %s ' "$bench" "$g"
        (cd internal/docx && GOGC=$g "${timed[@]}" "$tmp/docx.test" -test.run '^$' -test.bench "^$bench\$" \
          -test.benchtime 2000x 2>&1 | awk '/ns\/op/ {print $3}')
      done
    done
  done | python3 -c '
import sys, statistics, collections
d = collections.defaultdict(list)
for line in sys.stdin:
    b, g, ns = line.split()
    d[(b, int(g))].append(int(ns) / 1000)
for (b, g), v in sorted(d.items()):
    what = "in parts, released (RenderParts)" if b.endswith("Parts") else "joined (Render)"
    print(f"docx warm {what}, GOGC={g}: median {statistics.median(v):.0f} us over {len(v)} rounds of 2000 ({min(v):.0f}-{max(v):.0f})")'
fi

# Instruction counts: independent of the machine's load (valgrind's callgrind; Go's
# asynchronous preemption signals crash it, hence GODEBUG). GOMAXPROCS=1: valgrind runs
# one thread at a time, and idle Ps spinning for work add tens of millions of
# instructions that vary from run to run; with one P the count repeats within 0.1 %.
if ! skip SKIP_CALLGRIND && command -v valgrind >/dev/null; then
  echo
  echo "== instructions (callgrind, whole process)"
  for spec in "hello|$hello" "pdf+docx|$both" "pdf|$pdf"; do
    name=${spec%%|*} cmd=${spec#*|}
    GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" $cmd >/dev/null 2>"$tmp/cg.err" || {
      echo "$name: valgrind failed (see below)"; tail -3 "$tmp/cg.err"; continue; }
    printf '%-10s %6.1f M\n' "$name" "$(awk '/^summary:/ {print $2 / 1e6}' "$tmp/cg.out")"
  done
fi
