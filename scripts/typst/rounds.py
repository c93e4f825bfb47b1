#!/usr/bin/env python3
"""Throughput rounds of scripts/typst/bench.sh: gongwen and a warm Typst compiler over
the same documents, interleaved so that a change of the machine's load affects both.

    rounds.py ROUNDS NAME=COMMAND...

Each round runs every command once, in an order rotated by one each round. A
command whose name starts with "typst" is warm.mjs (or a shell line running several
of them): its figures are the JSON lines it prints (the timed window after its
warm-up; several lines are processes run at once, whose rates add up). Any other
command is timed whole (wall clock from start to exit, CPU from the kernel's rusage),
start-up included. Every command's name ends in "/N": N documents a run.

Prints, per command, the median documents a second and CPU ms a document over the
rounds, the per-round rates, the rate the CPU per document allows on idle cores
(gongwen uses every core, one typst.ts compiler one thread, "x2" two processes),
the ratio of each gongwen command to each Typst command per round (median) and of
their CPU-bound rates; all of it also as JSON in $OUT/rounds.json.
"""
import json
import os
import statistics
import subprocess
import sys
import time


def run_whole(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, shell=True, stdout=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        sys.exit(f"rounds.py: {cmd!r} failed ({status})")
    return wall, ru.ru_utime + ru.ru_stime, None


def run_typst(cmd):
    out = subprocess.run(cmd, shell=True, check=True, capture_output=True, text=True).stdout
    lines = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    if not lines:
        sys.exit(f"rounds.py: {cmd!r} printed no figures")
    # Processes run at once: their rates add up; CPU adds up.
    rate = sum(l["per_s"] for l in lines)
    docs = sum(l["documents"] for l in lines)
    cpu = sum(l["cpu_s"] for l in lines)
    return docs / rate, cpu, lines


def main():
    rounds = int(sys.argv[1])
    cores = os.cpu_count()
    cmds = [a.split("=", 1) for a in sys.argv[2:]]
    res = {name: {"rate": [], "cpu_ms": [], "threads": "", "layout_ms": [], "pdf_ms": []} for name, _ in cmds}
    for r in range(rounds):
        order = cmds[r % len(cmds):] + cmds[:r % len(cmds)]
        for name, cmd in order:
            n = int(name.rsplit("/", 1)[1])
            wall, cpu, lines = (run_typst if name.startswith("typst") else run_whole)(cmd)
            res[name]["rate"].append(n / wall)
            res[name]["cpu_ms"].append(cpu * 1000 / n)
            if lines:
                res[name]["layout_ms"].append(sum(l["compile_s"] for l in lines) * 1000 / n)
                res[name]["pdf_ms"].append(sum(l["pdf_s"] for l in lines) * 1000 / n)
                res[name]["threads"] = "; ".join(f"{l['threads']} threads, busy: {l['busy_threads']}" for l in lines)
        print(f"  round {r + 1}/{rounds} done, load {open('/proc/loadavg').read().split()[0]}", file=sys.stderr)
    # The rate the CPU per document allows on idle cores: gongwen renders on every
    # core (GOMAXPROCS); one typst.ts compiler on one thread; "x2" is two processes.
    def par(name):
        return cores if not name.startswith("typst") else (2 if "x2" in name else 1)
    print(f"{'':34} {'docs/s median':>13}  {'per round':<32} {'CPU ms/doc':>10}  {'CPU-bound docs/s':>16}")
    for name, _ in cmds:
        v = res[name]
        cpu = statistics.median(v["cpu_ms"])
        v["cpu_bound_rate"] = par(name) * 1000 / cpu
        print(f"{name:34} {statistics.median(v['rate']):13.1f}  {' '.join(f'{x:.1f}' for x in v['rate']):<32} "
              f"{cpu:10.2f}  {v['cpu_bound_rate']:9.1f} ({par(name)} thr)")
    for name, _ in cmds:
        if res[name]["threads"]:
            print(f"  {name}: {res[name]['threads']}; wall ms/doc in layout "
                  f"{statistics.median(res[name]['layout_ms']):.1f}, in PDF export {statistics.median(res[name]['pdf_ms']):.1f}")
    gw = [n for n, _ in cmds if not n.startswith("typst")]
    ty = [n for n, _ in cmds if n.startswith("typst")]
    print("\nratio gongwen / typst (docs/s, per round, median):")
    print(f"{'':34} " + " ".join(f"{t:>22}" for t in ty))
    ratios = {}
    for g in gw:
        row = []
        for t in ty:
            rr = [a / b for a, b in zip(res[g]["rate"], res[t]["rate"])]
            ratios[f"{g} / {t}"] = rr
            row.append(f"{statistics.median(rr):21.2f}x")
        print(f"{g:34} " + " ".join(row))
    print("\nratio gongwen / typst, CPU-bound rates (CPU per document and threads each can use):")
    print(f"{'':34} " + " ".join(f"{t:>22}" for t in ty))
    for g in gw:
        print(f"{g:34} " + " ".join(f"{res[g]['cpu_bound_rate'] / res[t]['cpu_bound_rate']:21.2f}x" for t in ty))
    out = os.environ.get("OUT")
    if out:
        with open(os.path.join(out, "rounds.json"), "w") as f:
            json.dump({"results": res, "ratios": ratios}, f, indent=1)


if __name__ == "__main__":
    main()
