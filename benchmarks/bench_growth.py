"""Benchmark: how compile time and memory grow with the size and depth of a schema.

Synthetic schemas (written by :func:`schema_text`, deterministic):

- **size**: 5k, 10k, 20k and 40k classes in small families (a root with a key, subclasses
  two levels deep), each class with a description, three properties with qualifiers (MaxLen,
  ValueMap/Values, Units), a method with a parameter. Target: time per class and memory per
  class within 15% of each other across the sizes (largest over smallest at most 1.15x).
- **depth**: 4,000 classes in chains of depth 4, 8, 16 and 32; each class declares three
  properties, so a class at depth d has 3d effective ones and the work may grow with depth.
  Target: linear, for time and for memory: the least-squares straight line through the four
  points misses none of them by more than 15% of the mean cost (a cost growing with the square
  of the depth misses by about 30%). The cost of one more level between consecutive depths is
  printed too; when the cost hardly grows with depth those slopes are noise, and a ratio of
  them says nothing.

Each point is a fresh process running ``mofc.api.compile_files`` (parse and resolve); wall and
CPU time are taken inside it around the call (imports excluded; on a loaded machine the CPU
time is the steadier figure), memory is its peak resident memory minus its resident memory
before the call. Repetitions alternate the points; medians are printed.

    python benchmarks/bench_growth.py [--reps N] [--only size|depth]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from processes import load_note, median, python, verdict

SIZES = (5_000, 10_000, 20_000, 40_000)
DEPTHS = (4, 8, 16, 32)
DEPTH_CLASSES = 4_000

def nonlinearity(costs: list[float]) -> float:
    """How far the costs at DEPTHS are from a straight line: the largest distance of a point
    from the least-squares line, over the mean cost (0 for points on a line)."""
    n = len(DEPTHS)
    mean_x, mean_y = sum(DEPTHS) / n, sum(costs) / n
    var = sum((x - mean_x) ** 2 for x in DEPTHS)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(DEPTHS, costs, strict=True)) / var
    worst = max(
        abs(y - (mean_y + slope * (x - mean_x))) for x, y in zip(DEPTHS, costs, strict=True)
    )
    return worst / mean_y if mean_y > 0 else float("inf")


MOFC_RUN = r"""
import json, time
from mofc.api import compile_files
def status(key):  # KiB; VmHWM is this program's own peak (ru_maxrss counts the forking parent)
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) for line in lines if line.startswith(key + ":"))
before = status("VmRSS")
start, cpu = time.perf_counter(), time.process_time()
model = compile_files([{entry!r}])
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = status("VmHWM")
print(json.dumps({{"seconds": elapsed, "cpu": cpu, "kib": peak - before, "classes": len(model.classes)}}))
"""

QUALIFIERS = """\
Qualifier Description : string = null, Scope(any), Flavor(Translatable);
Qualifier Key : boolean = false, Scope(property, reference), Flavor(DisableOverride);
Qualifier MaxLen : uint32 = null, Scope(property, method, parameter);
Qualifier ValueMap : string[], Scope(property, method, parameter);
Qualifier Values : string[], Scope(property, method, parameter), Flavor(Translatable);
Qualifier Units : string = null, Scope(property, method, parameter), Flavor(Translatable);
Qualifier In : boolean = true, Scope(parameter), Flavor(DisableOverride);
"""


def class_text(name: str, parent: str | None, key: bool) -> str:
    head = f"class {name} : {parent}" if parent else f"class {name}"
    lines = [f'[Description("Synthetic class {name}, for measuring growth.")]', head, "{"]
    if key:
        lines += ['    [Key, MaxLen(64), Description("The key.")]', "    string Id;"]
    lines += [
        f'    [MaxLen(256), Description("A name of {name}.")]',
        f"    string {name}_Name;",
        '    [ValueMap {"0", "1", "2", ".."}, Values {"Unknown", "On", "Off", "Other"},',
        '     Description("A state.")]',
        f"    uint16 {name}_State = 0;",
        '    [Units("Bytes"), Description("A size.")]',
        f"    uint64 {name}_Size;",
        '    [Description("Does something.")]',
        f'    uint32 {name}_Do([In, Description("How hard.")] uint8 Level);',
        "};",
        "",
    ]
    return "\n".join(lines)


def size_schema(classes: int) -> str:
    """Families of seven: a root, two children, four grandchildren."""
    parts = [QUALIFIERS]
    for n in range(classes):
        family, member = divmod(n, 7)
        root = f"Gr_F{family}_0"
        parent = (
            None
            if member == 0
            else root if member <= 2 else f"Gr_F{family}_{(member + 1) // 2 - 1}"
        )
        parts.append(class_text(f"Gr_F{family}_{member}", parent, member == 0))
    return "\n".join(parts)


def depth_schema(depth: int) -> str:
    """Chains of ``depth`` classes, DEPTH_CLASSES classes in all."""
    parts = [QUALIFIERS]
    for n in range(DEPTH_CLASSES):
        chain, level = divmod(n, depth)
        parent = f"Dp_C{chain}_{level - 1}" if level else None
        parts.append(class_text(f"Dp_C{chain}_{level}", parent, level == 0))
    return "\n".join(parts)


def measure(points: dict[str, Path], reps: int) -> dict[str, tuple[float, float, float, int]]:
    """{point: (median wall s, median CPU s, median KiB, classes)}, points alternating."""
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in points}
    for rep in range(reps):
        order = list(points) if rep % 2 == 0 else list(reversed(points))
        for name in order:
            # The child reports its own peak (VmHWM): no sampling of its memory from here,
            # which would slow it more the larger its heap (see processes.run).
            code = MOFC_RUN.format(entry=str(points[name]))
            result = python(code, sample_tree=False).reported()
            runs[name].append(result)
            print(
                f"rep {rep + 1} {name:>10s}: {result['seconds']:.2f} s (cpu {result['cpu']:.2f} s)"
                f"  {result['kib'] / 1024:.0f} MiB  {int(result['classes'])} classes",
                flush=True,
            )
    return {
        name: (
            median([r["seconds"] for r in values]),
            median([r["cpu"] for r in values]),
            median([r["kib"] for r in values]),
            int(values[0]["classes"]),
        )
        for name, values in runs.items()
    }


def spread(values: list[float]) -> float:
    return max(values) / min(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--only", choices=["size", "depth"])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mofc-bench-growth-"))
    try:
        if args.only != "depth":
            points = {}
            for size in SIZES:
                points[f"{size} cls"] = path = work / f"size{size}.mof"
                path.write_text(size_schema(size), encoding="utf-8")
            result = measure(points, args.reps)
            print(f"\nsize ({load_note()})")
            wall, cpu, memory = [], [], []
            for name, (seconds, cpu_seconds, kib, classes) in result.items():
                wall.append(seconds / classes * 1e6)
                cpu.append(cpu_seconds / classes * 1e6)
                memory.append(kib / classes)
                print(
                    f"{name:>10s}: {seconds:.2f} s, {wall[-1]:.0f} us per class (cpu "
                    f"{cpu[-1]:.0f} us); {kib / 1024:.0f} MiB, {memory[-1]:.1f} KiB per class"
                )
            print(f"wall time per class, largest/smallest: {verdict(spread(wall), 1.15)}")
            print(f"cpu time per class, largest/smallest:  {verdict(spread(cpu), 1.15)}")
            print(f"memory per class, largest/smallest:    {verdict(spread(memory), 1.15)}")
        if args.only != "size":
            points = {}
            for depth in DEPTHS:
                points[f"depth {depth}"] = path = work / f"depth{depth}.mof"
                path.write_text(depth_schema(depth), encoding="utf-8")
            result = measure(points, args.reps)
            print(f"\ndepth, {DEPTH_CLASSES} classes ({load_note()})")
            values = list(result.values())
            for name, (seconds, cpu_seconds, kib, _) in result.items():
                print(
                    f"{name:>10s}: {seconds:.2f} s (cpu {cpu_seconds:.2f} s); {kib / 1024:.0f} MiB"
                )
            for label, index, scale, unit in (
                ("wall time", 0, 1e3, "ms"),
                ("cpu time", 1, 1e3, "ms"),
                ("memory", 2, 1 / 1024, "MiB"),
            ):
                slopes = [
                    (values[i + 1][index] - values[i][index]) / (DEPTHS[i + 1] - DEPTHS[i])
                    for i in range(len(DEPTHS) - 1)
                ]
                shown = ", ".join(f"{slope * scale:.1f}" for slope in slopes)
                off = nonlinearity([v[index] for v in values])
                print(
                    f"{label} per extra level ({unit}): {shown}; farthest point from the "
                    f"straight line through all four: {off:.1%} of the mean cost (target at "
                    f"most 15%: {'met' if off <= 0.15 else 'MISSED'})"
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
