#!/usr/bin/env bash
# Lambda start-up figures of issue 15: the HTTP function's bootstrap under the Lambda
# Runtime Interface Emulator on loopback, started afresh RUNS times; each start gets
# the Wuchuan render event (PDF) and then the same event warm. Prints the medians of
#   init         the emulator's INIT REPORT (runtime process start to its first /next)
#   first        the emulator's first INVOKE RTDONE duration (the cold render, answer posted)
#   round trip   the first invocation as the client sees it (start, init, render, answer)
#   warm         the second invocation's INVOKE RTDONE duration
# and the targets (init <= 8 ms, first invocation <= 20 ms).
#
#   scripts/lambda-start.sh
#   RUNS=20 scripts/lambda-start.sh
#   BOOTSTRAP=/path/to/bootstrap scripts/lambda-start.sh   # another build (fonts/gpl beside it)
#   BOOTSTRAP="/old/bootstrap /new/bootstrap" scripts/lambda-start.sh
#       # compares builds: their cold starts alternate, so that a change of the
#       # machine's load affects each alike; each build's medians are printed
#
# Needs Go, curl and python3; builds the emulator with `go install` at the version
# internal/lambdatest pins (cached where its tests cache it). Timings on a shared or
# loaded machine are inflated: compare before and after on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
RUNS=${RUNS:-10}
EVENT=${EVENT:-$repo/events/http-render.json}
for tool in go curl python3; do
  command -v "$tool" >/dev/null || { echo "lambda-start.sh: $tool is required" >&2; exit 2; }
done

pkg=$(sed -n 's/^[[:space:]]*RIEPackage = "\(.*\)"/\1/p' internal/lambdatest/lambdatest.go)
ver=$(sed -n 's/^[[:space:]]*RIEVersion = "\(.*\)"/\1/p' internal/lambdatest/lambdatest.go)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/gongwen-test/aws-lambda-rie@$ver
rie=$cache/aws-lambda-rie
if [ ! -x "$rie" ]; then
  mkdir -p "$cache"
  GOBIN=$cache CGO_ENABLED=0 GOFLAGS=-mod=mod go install "$pkg@$ver"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Built as the deployment builds it (static, stripped), the GPL faces beside it as the
# StandInFonts layer provides them.
# Each build in its own directory fn<i>, as a function's code is deployed.
boots=()
if [ -n "${BOOTSTRAP:-}" ]; then
  i=0
  for b in $BOOTSTRAP; do
    mkdir -p "$tmp/fn$i" && cp "$b" "$tmp/fn$i/bootstrap"
    boots+=("$tmp/fn$i/bootstrap") i=$((i + 1))
  done
else
  mkdir -p "$tmp/fn0"
  CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$tmp/fn0/bootstrap" ./functions/http
  boots=("$tmp/fn0/bootstrap")
fi
for b in "${boots[@]}"; do
  d=$(dirname "$b")
  mkdir -p "$d/fonts/gpl" && cp fonts/gpl/* "$d/fonts/gpl/" # the whole directory, as the layer: fangsong.codes too
done
echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD 2>/dev/null || echo '?') on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $RUNS cold starts${BOOTSTRAP:+ each of $BOOTSTRAP}"

python3 - "$rie" "$EVENT" "$RUNS" "$tmp" "${boots[@]}" <<'PY'
import re, socket, statistics, subprocess, sys, time, urllib.request
rie, event, runs, tmp, boots = sys.argv[1], open(sys.argv[2], "rb").read(), int(sys.argv[3]), sys.argv[4], sys.argv[5:]

def free():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def invoke(url):
    t = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, data=event, method="POST")) as r:
        body = r.read()
    return (time.perf_counter() - t) * 1000, body

names = ("init", "first", "round trip", "warm", "render (handler, cold)")
figs = [{k: [] for k in names} for _ in boots]
for i in range(runs):
    # The builds take turns, in alternating order, so that both see the same load.
    order = list(range(len(boots)))
    if i % 2:
        order.reverse()
    for j in order:
        fig, boot = figs[j], boots[j]
        api, rt = free(), free()
        log = open(f"{tmp}/rie{i}-{j}.log", "w+")
        p = subprocess.Popen([rie, "--runtime-interface-emulator-address", f"127.0.0.1:{api}",
                              "--runtime-api-address", f"127.0.0.1:{rt}", boot],
                             cwd=boot.rsplit("/", 1)[0], stdout=log, stderr=subprocess.STDOUT)
        try:
            for _ in range(2000):
                try:
                    socket.create_connection(("127.0.0.1", api), 0.1).close(); break
                except OSError:
                    time.sleep(0.005)
            url = f"http://127.0.0.1:{api}/2015-03-31/functions/function/invocations"
            rtt, body = invoke(url)
            if b'"statusCode":200' not in body:
                sys.exit(f"cold invocation failed: {body[:300]!r}")
            invoke(url)
            time.sleep(0.05)
        finally:
            p.terminate(); p.wait()
        log.seek(0); out = log.read()
        inits = re.findall(r"INIT REPORT\(durationMs: ([0-9.]+)\)", out)
        invokes = re.findall(r"INVOKE RTDONE\(status: success, [^)]*duration: ([0-9.]+)ms\)", out)
        handler = re.findall(r'"route":"/render".*?"ms":([0-9.]+)', out)
        if not inits or len(invokes) < 2:
            sys.exit("emulator log lacks INIT REPORT / INVOKE RTDONE:\n" + out[-2000:])
        fig["init"].append(float(inits[0])); fig["first"].append(float(invokes[0]))
        fig["warm"].append(float(invokes[1])); fig["round trip"].append(rtt)
        if handler:
            fig["render (handler, cold)"].append(float(handler[0]))
for j, fig in enumerate(figs):
    if len(boots) > 1:
        print(f"== build {j + 1} of {len(boots)}")
    for k, v in fig.items():
        if v:
            print(f"{k:24} median {statistics.median(v):7.2f} ms   (min {min(v):.2f}, max {max(v):.2f})")
print("targets (issue 15): init <= 8 ms; first invocation (start, init, Wuchuan PDF) <= 20 ms")
PY
