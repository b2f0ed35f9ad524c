"""Benchmark: every target on the whole DMTF CIM Schema 2.49, alone and together, cold and warm.

For each configuration (``python``, ``validators``, ``sql``, ``docs`` alone, then all four):

- **cold**: ``mofc gen --target ... cim_schema_2.49.0.mof -o OUT`` into an empty folder with an
  empty cache folder (the whole process: interpreter start, imports, parse, resolve, render,
  black, writing);
- **warm**: the same command again, nothing changed (the cache answers).

pywbem's ``MOFCompiler`` compiles the same schema between the configurations (time of the
compile call only, as in ``bench_compile.py``), so the tools alternate in one run. Prints every
run (wall time, CPU time with black's workers, peak memory of the largest process and of all processes summed, PSS), then each configuration's medians
against pywbem's compile time, in wall time and in CPU time (the steadier figure on a loaded
machine). Targets: all four targets cold at most 2.5x pywbem's compile time,
with a peak memory of at most 250 MB.

``--baseline DIR`` also runs another mofc source tree (for instance a checkout of main) on the
same commands, alternating with this one, for an A/B comparison on a shared machine.

    python benchmarks/bench_targets.py [--reps N] [--only CONFIG]... [--baseline DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from bench_compile import PYWBEM_RUN
from conftest import CIM_ENTRY, cim_schema
from processes import REPO, environment, load_note, median, python, run, verdict

TARGETS = ("python", "validators", "sql", "docs")
CONFIGS = {**{name: (name,) for name in TARGETS}, "all": TARGETS}
ALL_LIMIT, MEMORY_LIMIT_MB = 2.5, 250


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--only", action="append", choices=list(CONFIGS))
    parser.add_argument("--baseline", type=Path, help="another mofc source tree to compare")
    args = parser.parse_args()
    entry = cim_schema() / CIM_ENTRY
    pywbem_code = PYWBEM_RUN.format(folder=str(entry.parent), entry=str(entry))
    trees = {"mofc": REPO}
    if args.baseline is not None:
        trees["baseline"] = args.baseline.resolve()
    configs = args.only or list(CONFIGS)
    work = Path(tempfile.mkdtemp(prefix="mofc-bench-targets-"))
    figures: dict[tuple[str, str, str], list[tuple[float, float, float]]] = {}
    peer: list[float] = []
    peer_cpu: list[float] = []
    try:
        for rep in range(args.reps):
            for config in configs:
                reported = python(pywbem_code).reported()
                peer.append(reported["seconds"])
                peer_cpu.append(reported["cpu"])
                print(
                    f"rep {rep + 1}: pywbem compile {peer[-1]:.2f} s (cpu {peer_cpu[-1]:.2f} s)",
                    flush=True,
                )
                order = list(trees) if rep % 2 == 0 else list(reversed(trees))
                for tree in order:
                    out, cache = work / "out", work / "cache"
                    shutil.rmtree(out, ignore_errors=True)
                    shutil.rmtree(cache, ignore_errors=True)
                    env = environment(MOFC_CACHE_DIR=str(cache), PYTHONPATH=str(trees[tree]))
                    command = [sys.executable, "-m", "mofc", "gen"]
                    for target in CONFIGS[config]:
                        command += ["--target", target]
                    command += [str(entry), "-o", str(out)]
                    for state in ("cold", "warm"):
                        done = run(command, env, cwd=work)  # `-m mofc` looks in the cwd first
                        figures.setdefault((tree, config, state), []).append(
                            (done.seconds, done.cpu, done.peak_mib, done.tree_peak_mib)
                        )
                        print(
                            f"rep {rep + 1}: {tree} {config:10s} {state}: {done.seconds:6.2f} s "
                            f"(cpu {done.cpu:6.2f} s)  peak {done.peak_mib:4.0f} MiB, all "
                            f"processes {done.tree_peak_mib:4.0f} MiB",
                            flush=True,
                        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    compile_time, compile_cpu = median(peer), median(peer_cpu)
    print(f"\nCIM Schema 2.49; {load_note()}")
    print(f"pywbem compile: median {compile_time:.2f} s (cpu {compile_cpu:.2f} s)")
    for (tree, config, state), values in figures.items():
        seconds = median([v[0] for v in values])
        cpu = median([v[1] for v in values])
        peak = median([v[2] for v in values])
        tree_peak = median([v[3] for v in values])
        line = (
            f"{tree:8s} {config:10s} {state}: {seconds:6.2f} s (cpu {cpu:6.2f} s), "
            f"peak {peak:4.0f} MiB (all processes {tree_peak:4.0f} MiB); /pywbem compile: "
        )
        if config == "all" and state == "cold":
            line += (
                f"{verdict(seconds / compile_time, ALL_LIMIT)}; in cpu time "
                f"{verdict(cpu / compile_cpu, ALL_LIMIT)}; peak memory over {MEMORY_LIMIT_MB} MB: "
                f"{verdict(max(peak, tree_peak) * 1.048576 / MEMORY_LIMIT_MB, 1.0)}"
            )
        else:
            line += f"{seconds / compile_time:.2f}x (in cpu time {cpu / compile_cpu:.2f}x)"
        print(line)


if __name__ == "__main__":
    main()
