"""Order independence at CIM scale: CIM Schema 2.49 built with its includes in shuffled orders.

Not collected by pytest (no ``test_`` prefix; several minutes). Run from the checkout::

    python tests/stress/order_independence.py [--orders 3] [--targets python,validators,sql,docs]

The entry file of the DMTF schema is copied with its ``#pragma include`` lines shuffled (the two
qualifier files stay first: qualifiers must be declared before use), the copies compiled with
``-I`` the schema folder, and every generated tree compared byte for byte with the first. Exit
status 0 when all trees are identical; otherwise the differing files are listed.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from conftest import cim_schema  # noqa: E402  (the tests' cached download)


def shuffled_entry(original: Path, seed: int, folder: Path) -> Path:
    """A copy of the CIM entry file with its non-qualifier includes in a random order."""
    lines = original.read_text(encoding="utf-8").splitlines()
    includes = [i for i, line in enumerate(lines) if line.startswith("#pragma include")]
    fixed = [i for i in includes if "qualifiers" in lines[i]]
    movable = [lines[i] for i in includes if i not in fixed]
    random.Random(seed).shuffle(movable)
    kept = [line for i, line in enumerate(lines) if i not in includes or i in fixed]
    entry = folder / "cim_schema.mof"
    entry.write_text("\n".join(kept + movable) + "\n", encoding="utf-8")
    return entry


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=3)
    parser.add_argument("--targets", default="python,validators,sql,docs")
    parser.add_argument("--keep", metavar="DIR", help="build in DIR and keep the trees there")
    args = parser.parse_args()
    original = cim_schema() / "cim_schema_2.49.0.mof"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    trees = []
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.keep or scratch
        for seed in range(args.orders):
            work = Path(tmp) / f"order{seed}"
            work.mkdir(parents=True, exist_ok=True)
            entry = shuffled_entry(original, seed, work)
            # The same relative command in each folder: the headers name it.
            command = [sys.executable, "-m", "mofc", "gen", "--no-cache"]
            command += ["-I", str(original.parent)]
            for target in args.targets.split(","):
                command += ["--target", target]
            command += [entry.name, "-o", "out"]
            done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                print(done.stderr[-3000:])
                return 1
            trees.append(tree(work / "out"))
            print(f"order {seed}: {len(trees[-1])} files")
    first = trees[0]
    bad = 0
    for seed, other in enumerate(trees[1:], 1):
        differing = sorted(p for p in first.keys() | other.keys() if first.get(p) != other.get(p))
        bad += len(differing)
        print(f"order {seed} against order 0: {len(differing)} files differ")
        for path in differing[:40]:
            print(f"  {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
