"""Benchmark: ``mofc diff`` of two CIM-2.49-sized schemas against one compile of CIM 2.49.

The new schema is CIM Schema 2.49 with edits a schema release makes: a property added to every
40th class file, the first Description of every 97th file reworded, a ValueMap entry added
to every 61st file that has one (the ``typical`` scenario); ``--scenario root`` also adds a
property to CIM_ManagedElement, so that every class of the schema changes. The diff compiles
both schemas, compares them with every rule (SQL rules for all three dialects) and is timed
from the start of the first compile to the report; the compile is one compile of CIM 2.49.
Each measurement runs in a fresh subprocess, alternating, several repetitions; medians and
their ratio (target: at most 2.5) are printed.

    python benchmarks/bench_diff.py [--reps N] [--scenario typical|root]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from conftest import CIM_ENTRY, cim_schema  # noqa: E402

COMPILE_RUN = r"""
import json, sys, time
sys.path.insert(0, {repo!r})
from mofc.api import compile_files
start = time.perf_counter()
model = compile_files([{entry!r}])
print(json.dumps({{"seconds": time.perf_counter() - start, "classes": len(model.classes)}}))
"""

DIFF_RUN = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
from mofc.diff import diff_models
from mofc.diff.sides import Side, collector_off, compile_sides
old_side = Side("old", (Path({old!r}),), (), Path.cwd())
new_side = Side("new", (Path({new!r}),), (), Path.cwd())
start = time.perf_counter()  # as `mofc diff OLD NEW` does it
old, new = compile_sides(old_side, new_side)
compiled = time.perf_counter()
with collector_off():
    result = diff_models(old, new)
end = time.perf_counter()
rules = {{}}
for change in result.changes:
    rules[change.rule] = rules.get(change.rule, 0) + 1
print(json.dumps({{"seconds": end - start, "compare": end - compiled,
                   "changes": len(result.changes), "rules": rules}}))
"""

_CLOSE = re.compile(r"\n\};\s*$")
_VALUEMAP = re.compile(r'ValueMap \{ "([^"]+)"')


def edited_schema(source: Path, target: Path, scenario: str) -> None:
    """A copy of the CIM schema folder with a release's worth of edits (see the docstring)."""
    shutil.copytree(source, target)
    files = sorted(p for p in target.rglob("*.mof") if p.name != CIM_ENTRY)
    for index, path in enumerate(files):
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        if not text.lstrip().startswith(("//", "[", "class")) or "class " not in text:
            continue
        changed = text
        if index % 40 == 0 and _CLOSE.search(changed):
            changed = _CLOSE.sub(
                '\n   [Description ("Added by the benchmark.")]\n   string MofcBenchmarkAdded;\n};\n',
                changed,
            )
        if index % 97 == 0:
            changed = changed.replace("Description (\n", 'Description (\n      "Reworded. "\n', 1)
        if index % 61 == 0:
            changed = _VALUEMAP.sub(r'ValueMap { "\1", "32000"', changed, count=1)
        if scenario == "root" and path.name == "CIM_ManagedElement.mof":
            changed = _CLOSE.sub("\n   string MofcBenchmarkEverywhere;\n};\n", changed)
        if changed != text:
            path.write_text(changed, encoding="utf-8", errors="surrogateescape")


def run(code: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--scenario", choices=["typical", "root"], default="typical")
    args = parser.parse_args()
    source = cim_schema()
    with tempfile.TemporaryDirectory(prefix="mofc-bench-diff-") as folder:
        new_folder = Path(folder) / "cim_new"
        edited_schema(source, new_folder, args.scenario)
        old_entry, new_entry = source / CIM_ENTRY, new_folder / CIM_ENTRY
        compile_code = COMPILE_RUN.format(repo=str(REPO), entry=str(old_entry))
        diff_code = DIFF_RUN.format(repo=str(REPO), old=str(old_entry), new=str(new_entry))
        run(compile_code)  # warm the file system cache
        compiles, diffs = [], []
        for rep in range(args.reps):
            compiled = run(compile_code)
            diffed = run(diff_code)
            compiles.append(float(compiled["seconds"]))  # type: ignore[arg-type]
            diffs.append(float(diffed["seconds"]))  # type: ignore[arg-type]
            print(
                f"run {rep + 1}: compile {compiled['seconds']:.2f} s ({compiled['classes']} "
                f"classes); diff {diffed['seconds']:.2f} s (comparison "
                f"{diffed['compare']:.2f} s, {diffed['changes']} changes)"
            )
        print(f"changes by rule ({args.scenario}): {json.dumps(diffed['rules'], sort_keys=True)}")
    compile_median, diff_median = statistics.median(compiles), statistics.median(diffs)
    ratio = diff_median / compile_median
    print(
        f"median: compile {compile_median:.2f} s, diff {diff_median:.2f} s, ratio {ratio:.2f} "
        f"(target at most 2.5: {'met' if ratio <= 2.5 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
