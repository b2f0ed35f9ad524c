"""Benchmark: compile the whole DMTF CIM Schema 2.49 with mofc and with pywbem's MOFCompiler.

Each measurement runs in a fresh subprocess (so peak memory is that run's own), alternating the
two tools, several repetitions. Time is measured inside the subprocess around the compile call
only (imports and interpreter start excluded, for both tools alike). Prints each run, the medians,
the speed ratio against the target (at least 4.5x faster than pywbem, peak memory at most
pywbem's) and the peak resident memory of each; and, for information, the median wall time
of the whole subprocess (interpreter start-up, imports and teardown included).

    python benchmarks/bench_compile.py [--reps N] [--stage parse|resolve]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

from conftest import CIM_ENTRY, cim_schema  # noqa: E402
from processes import load_note, verdict  # noqa: E402

MOFC_RUN = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
from mofc.parse.source import load
entry = Path({entry!r})
stage = {stage!r}
if stage == "resolve":
    from mofc.api import compile_files  # mofc's package imports its exports lazily
start, cpu = time.perf_counter(), time.process_time()
if stage == "resolve":
    model = compile_files([entry])
    classes = len(model.classes)
else:
    compilation = load([entry])
    classes = sum(1 for p in compilation.productions if type(p).__name__ == "Class")
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({{"seconds": elapsed, "cpu": cpu, "classes": classes,
                   "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""

PYWBEM_RUN = r"""
import json, resource, sys, time
import pywbem
start, cpu = time.perf_counter(), time.process_time()
compiler = pywbem.MOFCompiler(pywbem.MOFWBEMConnection(), search_paths=[{folder!r}])
compiler.compile_file({entry!r}, "root/cimv2")
classes = len(compiler.handle.classes["root/cimv2"])
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({{"seconds": elapsed, "cpu": cpu, "classes": classes,
                   "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def run(code: str) -> dict[str, float]:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    result["process"] = time.perf_counter() - started  # start-up, imports and teardown included
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--stage", choices=["parse", "resolve"], default="resolve")
    args = parser.parse_args()
    folder = cim_schema()
    entry = folder / CIM_ENTRY
    mofc_code = MOFC_RUN.format(repo=str(REPO), entry=str(entry), stage=args.stage)
    pywbem_code = PYWBEM_RUN.format(folder=str(folder), entry=str(entry))
    run(mofc_code)  # warm the file system cache
    mofc_runs, pywbem_runs = [], []
    for rep in range(args.reps):
        order = [("mofc", mofc_code, mofc_runs), ("pywbem", pywbem_code, pywbem_runs)]
        if rep % 2:
            order.reverse()
        for name, code, runs in order:
            result = run(code)
            runs.append(result)
            print(
                f"rep {rep + 1} {name:6s} {result['seconds']:.3f} s (cpu {result['cpu']:.3f} s)  "
                f"{result['classes']} classes  peak {result['peak_kib'] / 1024:.0f} MiB  "
                f"(whole process {result['process']:.3f} s)"
            )
    m_time = statistics.median(r["seconds"] for r in mofc_runs)
    p_time = statistics.median(r["seconds"] for r in pywbem_runs)
    m_mem = statistics.median(r["peak_kib"] for r in mofc_runs) / 1024
    p_mem = statistics.median(r["peak_kib"] for r in pywbem_runs) / 1024
    print(f"\nCIM Schema 2.49, mofc stage: {args.stage}, {args.reps} repetitions")
    print(f"mofc   median {m_time:.3f} s   peak memory {m_mem:.0f} MiB")
    print(f"pywbem median {p_time:.3f} s   peak memory {p_mem:.0f} MiB")
    print(f"ratio: mofc is {p_time / m_time:.2f}x faster; memory {m_mem / p_mem:.2f}x of pywbem's")
    m_cpu = statistics.median(r["cpu"] for r in mofc_runs)
    p_cpu = statistics.median(r["cpu"] for r in pywbem_runs)
    print(f"cpu time: mofc {m_cpu:.3f} s, pywbem {p_cpu:.3f} s")
    if args.stage == "resolve":
        print(f"speed: {verdict(p_time / m_time, 4.5, at_most=False)} faster than pywbem")
        print(f"speed in cpu time: {verdict(p_cpu / m_cpu, 4.5, at_most=False)} faster")
        print(f"peak memory: {verdict(m_mem / p_mem, 1.0)} of pywbem's")
    print(load_note())
    m_proc = statistics.median(r["process"] for r in mofc_runs)
    p_proc = statistics.median(r["process"] for r in pywbem_runs)
    print(
        f"whole process (interpreter start-up, imports, teardown): mofc {m_proc:.3f} s, "
        f"pywbem {p_proc:.3f} s"
    )


if __name__ == "__main__":
    main()
