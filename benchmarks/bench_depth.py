"""Benchmark: compile a chain of N classes (each derives from the previous one and declares one
property) and print the time and peak memory per depth.

The effective properties of the chain are N²/2 (class k has k of them); mofc shares them along
the chain, so its memory should grow linearly with N. Each depth runs in a fresh subprocess
(peak resident memory is that run's own), compiling with ``mofc.api.compile_string``; time is
measured around the compile call only. ``--baseline DIR`` runs another mofc checkout (e.g. the
main branch before a change) on the same inputs in the same run, alternating, and prints the
ratios; ``--limit-mb`` caps each subprocess's address space (a run over it reports "out of
memory" instead of swapping the machine).

    python benchmarks/bench_depth.py [--depths 1000 5000 10000 20000] [--baseline /work/main]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

RUN = r"""
import json, resource, sys, time
sys.setrecursionlimit(100000)
sys.path.insert(0, {repo!r})
limit = {limit}
if limit:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from mofc.api import compile_string
depth = {depth}
parts = ["class C0 {{ [Key] string K; }};"]
parts += [f"class C{{i}} : C{{i - 1}} {{{{ string P{{i}}; }}}};" for i in range(1, depth)]
text = "\n".join(parts)
start = time.perf_counter()
try:
    model = compile_string(text, "chain.mof")
    seconds = time.perf_counter() - start
    last = model.classes[f"C{{depth - 1}}"]
    ok = len(last.properties) == depth
except MemoryError:
    seconds, ok = time.perf_counter() - start, None
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "peak_mb": peak, "ok": ok}}))
"""


def measure(repo: Path, depth: int, limit_mb: int) -> dict[str, object]:
    code = RUN.format(repo=str(repo), depth=depth, limit=limit_mb * 2**20)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        reason = "out of memory" if "MemoryError" in done.stderr else done.stderr.strip()[-200:]
        return {"seconds": None, "peak_mb": None, "ok": None, "error": reason or "failed"}
    return json.loads(lines[-1])  # type: ignore[no-any-return]


def show(label: str, depth: int, result: dict[str, object]) -> str:
    if result.get("seconds") is None or result.get("ok") is None:
        reason = result.get("error", "out of memory")
        if result.get("peak_mb"):
            reason = f"{reason} after {result['seconds']:.1f} s at {result['peak_mb']:.0f} MB"
        return f"{label:>8} depth {depth:>6}: {reason}"
    check = "" if result["ok"] else "  (WRONG: last class lacks properties)"
    return (
        f"{label:>8} depth {depth:>6}: {result['seconds']:8.2f} s  "
        f"peak {result['peak_mb']:8.1f} MB{check}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depths", type=int, nargs="+", default=[1000, 2500, 5000, 10000, 20000])
    parser.add_argument("--baseline", type=Path, help="another mofc checkout to compare with")
    parser.add_argument("--limit-mb", type=int, default=6000, help="address space cap per run")
    args = parser.parse_args()
    for depth in args.depths:
        mine = measure(REPO, depth, args.limit_mb)
        print(show("mofc", depth, mine), flush=True)
        if args.baseline is not None:
            base = measure(args.baseline.resolve(), depth, args.limit_mb)
            print(show("baseline", depth, base), flush=True)
            if mine.get("ok") and base.get("ok"):
                print(
                    f"{'':>8} memory baseline/mofc {base['peak_mb'] / mine['peak_mb']:.1f}x, "  # type: ignore[operator]
                    f"time baseline/mofc {base['seconds'] / mine['seconds']:.1f}x",  # type: ignore[operator]
                    flush=True,
                )


if __name__ == "__main__":
    main()
