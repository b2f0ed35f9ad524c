"""Running one measured command in a fresh process: its wall time and its peak memory.

Shared by the benchmark scripts. Each command runs as a child process; ``os.wait4`` gives its
CPU time (with the worker processes it waited for, such as black's) and its peak resident
memory (the largest of the process and its workers, not their sum; Linux starts it at the
benchmark script's own resident memory when it forks, about 25 MB, so it says nothing about
smaller runs). Because mofc may work in two processes at once, a sampler also adds up the
proportional set size (PSS: shared pages split between the processes sharing them) of the
process and all its descendants every 10 ms; ``tree_peak_mib`` is the largest such sum, the
memory the command really held. On a shared, loaded machine
the wall time grows with the load while the CPU time mostly does not: the scripts print both,
with the ratios of both.
Python's bytecode is cached under a temporary folder for every child (``PYTHONPYCACHEPREFIX``),
as it is for a user's installed mofc and pywbem, even where the environment turns writing
bytecode off.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYCACHE = Path(tempfile.gettempdir()) / "mofc-bench-pycache"


@dataclass(frozen=True)
class Run:
    seconds: float  # wall time of the whole process
    cpu: float  # CPU time (user and system) of the process and the workers it waited for
    peak_mib: float  # peak resident memory of the process (or of its largest worker)
    stdout: str
    tree_peak_mib: float = 0.0  # peak of the summed PSS of the process and its descendants

    def reported(self) -> dict[str, float]:
        """The JSON object the child printed last (for in-process timings), or {}."""
        lines = self.stdout.strip().splitlines()
        try:
            value = json.loads(lines[-1]) if lines else {}
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


def _descendants(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as handle:
                pending.extend(int(child) for child in handle.read().split())
        except OSError:
            pass
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class _TreeSampler(threading.Thread):
    """Samples the summed PSS of a process tree until stopped; ``peak_kib`` is the largest."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.01):
            total = sum(_pss_kib(p) for p in _descendants(self.pid))
            self.peak_kib = max(self.peak_kib, total)


def run(
    command: Sequence[str],
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    *,
    sample_tree: bool = True,
) -> Run:
    """Run ``command``; SystemExit with its error output when it fails.

    ``sample_tree=False``: no PSS sampling of the process tree (``tree_peak_mib`` stays 0).
    Each sample walks the page tables of every process of the tree, holding their memory map
    lock, which slows a process with a large heap: about 10% of the wall time of a 650 MB
    compile. Runs whose memory the child reports itself leave it off.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(command), stdout=out, stderr=err, text=True, env=env or environment(), cwd=cwd
        )
        sampler = _TreeSampler(process.pid)
        if sample_tree:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        if sample_tree:
            sampler.done.set()
            sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode:
        raise SystemExit(f"failed: {' '.join(command)}\n{stderr}")
    return Run(
        elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout,
        sampler.peak_kib / 1024,
    )  # fmt: skip


def python(code: str, env: dict[str, str] | None = None, *, sample_tree: bool = True) -> Run:
    return run([sys.executable, "-c", code], env, sample_tree=sample_tree)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def verdict(ratio: float, limit: float, *, at_most: bool = True) -> str:
    ok = ratio <= limit if at_most else ratio >= limit
    word = "at most" if at_most else "at least"
    return f"{ratio:.2f}x (target {word} {limit}x: {'met' if ok else 'MISSED'})"


def load_note() -> str:
    """The machine's load average, printed with every result (the machine may be shared)."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load average unknown"
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"
