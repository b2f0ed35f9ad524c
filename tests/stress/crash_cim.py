"""Crash test at CIM scale: ``kill -9`` at random moments during all-target builds of the DMTF
CIM Schema 2.49, into an empty folder and over an existing tree.

Run once by hand (it takes minutes; the test suite has the same test on the SMS schema):

    python tests/stress/crash_cim.py [--kills 20] [--seed 1] [--keep DIR]

Two configurations (package ``a`` and package ``b``) are built whole first as references.
Then each round starts a build of one of them into the test folder and kills it at a random
moment of the build's duration; afterwards the folder must be exactly the tree it held before
or the complete new one, never a mix and never files without a manifest. The first rounds
start from a missing or empty folder, the others over complete trees. A last build must
succeed and leave nothing behind. Prints each round and the figures; exits 1 on a failure.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from conftest import CIM_ENTRY, cim_schema

TARGETS = ("python", "validators", "sql", "docs")


def tree(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            found[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def command(entry: Path, out: Path, package: str) -> list[str]:
    args = [sys.executable, "-m", "mofc", "gen", "--no-cache", "--package", package]
    for target in TARGETS:
        args += ["--target", target]
    return args + [str(entry), "-o", str(out)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--work", type=Path, help="work in this folder (with --duration: reuse "
                        "the reference trees there)")
    parser.add_argument("--duration", type=float, help="seconds a build takes (kills fall "
                        "within it); default: the time of the reference builds")
    args = parser.parse_args()
    entry = cim_schema() / CIM_ENTRY
    work = args.work or args.keep or Path(tempfile.mkdtemp(prefix="mofc-crash-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO), "MOFC_CACHE_DIR": str(work / "cache")}
    rng = random.Random(args.seed)
    refs: dict[str, dict[str, str]] = {}
    durations = [args.duration] if args.duration else []
    for package in ("a", "b"):
        reference = work / f"ref-{package}"
        if args.work and (reference / ".mofc-manifest.json").is_file() and args.duration:
            refs[package] = tree(reference)
            print(f"reference {package}: {len(refs[package])} files (reused)", flush=True)
            continue
        shutil.rmtree(reference, ignore_errors=True)
        shutil.rmtree(work / "out", ignore_errors=True)
        started = time.monotonic()
        # Built where the rounds build (the headers name the output folder), then moved aside.
        done = subprocess.run(command(entry, work / "out", package), env=env,
                              capture_output=True, text=True, check=False)
        durations.append(time.monotonic() - started)
        if done.returncode != 0:
            print(done.stderr)
            return 1
        (work / "out").rename(reference)
        refs[package] = tree(reference)
        print(f"reference {package}: {len(refs[package])} files, {durations[-1]:.1f} s", flush=True)
    duration = max(durations)
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    state: dict[str, str] = {}
    failures = 0
    outcomes = {"old": 0, "new": 0, "finished": 0}
    for n in range(args.kills):
        package = "ab"[n % 2]
        if n < args.kills // 4:  # into a missing folder, or an empty one
            shutil.rmtree(out, ignore_errors=True)
            if n % 2:
                out.mkdir()
            state = {}
        elif state != refs["ba"[n % 2]]:  # over the other configuration's complete tree
            shutil.rmtree(out, ignore_errors=True)
            shutil.copytree(work / f"ref-{'ba'[n % 2]}", out)
            state = tree(out)
        proc = subprocess.Popen(command(entry, out, package), env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        delay = rng.uniform(0.05, 1.05) * duration
        time.sleep(delay)
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = tree(out)
        if now == state:
            verdict = "old tree"
            outcomes["old"] += 1
        elif now == refs[package]:
            verdict = "new tree"
            outcomes["new" if killed else "finished"] += 1
        else:
            verdict = "MIXED TREE"
            failures += 1
        if now and not (out / ".mofc-manifest.json").is_file():
            verdict += ", FILES WITHOUT A MANIFEST"
            failures += 1
        what = "killed" if killed else f"finished (exit {proc.returncode})"
        print(f"round {n + 1:2}: {package}, {what} at {delay:5.1f} s -> {verdict} "
              f"({len(now)} files)", flush=True)
        state = now
    started = time.monotonic()
    final = subprocess.run(command(entry, out, "a"), env=env, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    left = sorted(p.name for p in work.iterdir() if p.name.startswith(".out.mofc"))
    ok = final.returncode == 0 and tree(out) == refs["a"] and not left
    print(f"last build: exit {final.returncode}, {elapsed:.1f} s, "
          f"{'complete tree' if tree(out) == refs['a'] else 'WRONG TREE'}, leftovers: {left or 'none'}")
    print(f"{args.kills} rounds: {outcomes['old']} killed with the old tree kept, "
          f"{outcomes['new']} killed after the switch (new tree), {outcomes['finished']} "
          f"finished before the kill; {failures} failures")
    if not (args.keep or args.work):
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
