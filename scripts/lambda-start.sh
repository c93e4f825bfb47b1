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
if [ -n "${BOOTSTRAP:-}" ]; then
  mkdir -p "$tmp/fn" && cp "$BOOTSTRAP" "$tmp/fn/bootstrap"
else
  CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$tmp/fn/bootstrap" ./functions/http
fi
mkdir -p "$tmp/fn/fonts/gpl" && cp fonts/gpl/* "$tmp/fn/fonts/gpl/" # the whole directory, as the layer: fangsong.codes too
echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD 2>/dev/null || echo '?') on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $RUNS cold starts"

python3 - "$rie" "$tmp/fn/bootstrap" "$EVENT" "$RUNS" "$tmp" <<'PY'
import re, socket, statistics, subprocess, sys, time, urllib.request
rie, boot, event, runs, tmp = sys.argv[1], sys.argv[2], open(sys.argv[3], "rb").read(), int(sys.argv[4]), sys.argv[5]

def free():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def invoke(url):
    t = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, data=event, method="POST")) as r:
        body = r.read()
    return (time.perf_counter() - t) * 1000, body

fig = {k: [] for k in ("init", "first", "round trip", "warm", "render (handler, cold)")}
for i in range(runs):
    api, rt = free(), free()
    log = open(f"{tmp}/rie{i}.log", "w+")
    p = subprocess.Popen([rie, "--runtime-interface-emulator-address", f"127.0.0.1:{api}",
                          "--runtime-api-address", f"127.0.0.1:{rt}", boot],
                         cwd=tmp + "/fn", stdout=log, stderr=subprocess.STDOUT)
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
for k, v in fig.items():
    if v:
        print(f"{k:24} median {statistics.median(v):7.2f} ms   (min {min(v):.2f}, max {max(v):.2f})")
print("targets (issue 15): init <= 8 ms; first invocation (start, init, Wuchuan PDF) <= 20 ms")
PY
