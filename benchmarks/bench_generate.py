"""Benchmark: generate the Python models and validators of the whole DMTF CIM Schema 2.49.

In one run, alternating, several repetitions:

- **cold**: ``mofc gen --target python --target validators`` into an empty folder with an empty
  cache folder (wall time of the whole command: interpreter start, imports, parse, resolve,
  render, black, writing);
- **warm**: the same command again with nothing changed (the cache answers);
- **pywbem**: pywbem's MOFCompiler compiling the same schema (time of the compile call only, as
  in ``bench_compile.py``), for scale.

Prints every run, the medians, and the ratios against the targets: cold at most 3x pywbem's
compile, warm at least 30x faster than cold.

    python benchmarks/bench_generate.py [--reps N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tests"))

from bench_compile import PYWBEM_RUN, run  # noqa: E402
from conftest import CIM_ENTRY, cim_schema  # noqa: E402


def mofc_gen(entry: Path, out: Path, cache: Path) -> tuple[float, str]:
    env = {**os.environ, "MOFC_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "mofc", "gen", "--target", "python", "--target",
               "validators", str(entry), "-o", str(out)]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"mofc gen failed:\n{done.stderr}")
    return elapsed, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    folder = cim_schema()
    entry = folder / CIM_ENTRY
    pywbem_code = PYWBEM_RUN.format(folder=str(folder), entry=str(entry))
    cold, warm, peer = [], [], []
    work = Path(tempfile.mkdtemp(prefix="mofc-bench-"))
    try:
        for rep in range(args.reps):
            out, cache = work / f"out{rep}", work / f"cache{rep}"
            steps = ["mofc", "pywbem"] if rep % 2 == 0 else ["pywbem", "mofc"]
            for step in steps:
                if step == "pywbem":
                    seconds = run(pywbem_code)["seconds"]
                    peer.append(seconds)
                    print(f"rep {rep}: pywbem compile {seconds:.2f} s", flush=True)
                    continue
                seconds, summary = mofc_gen(entry, out, cache)
                cold.append(seconds)
                print(f"rep {rep}: mofc cold  {seconds:.2f} s  [{summary}]", flush=True)
                seconds, summary = mofc_gen(entry, out, cache)
                warm.append(seconds)
                print(f"rep {rep}: mofc warm  {seconds:.3f} s  [{summary}]", flush=True)
            files = sum(1 for p in out.rglob("*") if p.is_file())
            lines = sum(p.read_text().count("\n") for p in out.rglob("*.py"))
            print(f"rep {rep}: {files} files, {lines} lines of Python", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    c, w, p = statistics.median(cold), statistics.median(warm), statistics.median(peer)
    print()
    print(f"median cold generation : {c:.2f} s")
    print(f"median warm rebuild    : {w:.3f} s")
    print(f"median pywbem compile  : {p:.2f} s")
    print(f"cold / pywbem          : {c / p:.2f}x   (target: at most 3x)")
    print(f"cold / warm            : {c / w:.1f}x   (target: at least 30x)")


if __name__ == "__main__":
    main()
