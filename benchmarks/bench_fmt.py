"""Benchmark: ``mofc fmt --check`` over the DMTF CIM Schema 2.49 against one compile of it.

The check runs over every file of the schema (1634), twice: on the schema as DMTF ships it
(every file would change: each is formatted and the result parsed again to prove it says the
same) and on a copy already formatted (the usual case in CI: each file is parsed, formatted and
found unchanged). Each measurement runs in a fresh subprocess, alternating, several repetitions;
time is measured inside the subprocess around the call only (imports excluded). Prints each run,
the medians and the ratio of each check to the compile (target: at most 1.5).

    python benchmarks/bench_fmt.py [--reps N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from conftest import CIM_ENTRY, cim_schema

COMPILE_RUN = r"""
import json, sys, time
sys.path.insert(0, {repo!r})
from mofc.api import compile_files
start = time.perf_counter()
model = compile_files([{entry!r}])
print(json.dumps({{"seconds": time.perf_counter() - start, "classes": len(model.classes)}}))
"""

CHECK_RUN = r"""
import io, json, os, sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
from mofc.fmt.command import run_fmt
folder = Path({folder!r})
files = sorted(str(p) for p in folder.rglob("*.mof"))
os.chdir(folder)
out, err = io.StringIO(), io.StringIO()
start = time.perf_counter()
status = run_fmt(files, check=True, diff=False, out=out, err=err)
elapsed = time.perf_counter() - start
print(json.dumps({{"seconds": elapsed, "status": status, "changed": len(out.getvalue().splitlines()),
                   "files": len(files)}}))
"""


def run(code: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def formatted_copy(source: Path, target: Path) -> None:
    from mofc.fmt.command import run_fmt

    shutil.copytree(source, target)
    files = sorted(str(p) for p in target.rglob("*.mof"))
    with open(os.devnull, "w") as sink:
        run_fmt(files, check=False, diff=False, out=sink, err=sink)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    folder = cim_schema()
    with tempfile.TemporaryDirectory() as tmp:
        formatted = Path(tmp) / "cim-formatted"
        formatted_copy(folder, formatted)
        codes = {
            "compile": COMPILE_RUN.format(repo=str(REPO), entry=str(folder / CIM_ENTRY)),
            "fmt --check (as shipped)": CHECK_RUN.format(repo=str(REPO), folder=str(folder)),
            "fmt --check (formatted)": CHECK_RUN.format(repo=str(REPO), folder=str(formatted)),
        }
        run(codes["compile"])  # warm the file system cache
        times: dict[str, list[float]] = {name: [] for name in codes}
        for rep in range(args.reps):
            for name, code in codes.items():
                result = run(code)
                times[name].append(result["seconds"])
                extra = {k: v for k, v in result.items() if k != "seconds"}
                print(f"run {rep + 1} {name}: {result['seconds']:.2f} s {extra}")
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["compile"]
    for name, value in medians.items():
        print(f"median {name}: {value:.2f} s ({value / base:.2f}x compile)")


if __name__ == "__main__":
    main()
