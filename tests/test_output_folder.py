"""The output folder: all or nothing, one build at a time, and only what mofc owns.

Builds run through the real command line on a copy of the project (the SMS schema, all four
targets). Crashes are real: ``kill -9`` at random moments, and a process that ends itself with
``os._exit`` at chosen points of the switch. After each, the folder must hold the complete old
tree or the complete new one, and the next build must succeed on its own.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CACHES = (".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__")


def run(
    *args: str, cwd: Path, cache: Path, umask: int | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "MOFC_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "mofc", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
        check=False,
    )


def start(*args: str, cwd: Path, cache: Path, script: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "MOFC_CACHE_DIR": str(cache)}
    command = [sys.executable, "-c", script, *args] if script else [sys.executable, "-m", "mofc", *args]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=env
    )


def tree(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file, tool caches excluded."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not set(p.relative_to(folder).parts) & set(CACHES)
    }


def leftovers(folder: Path) -> list[str]:
    """What mofc may have left beside or inside the folder (staging, old tree, lock)."""
    beside = [p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}.mofc")]
    inside = [p.name for p in folder.glob(".mofc-*") if p.name != ".mofc-manifest.json"]
    return sorted(beside + inside)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(REPO / "schemas", root / "schemas")
    return root


@dataclass(frozen=True)
class References:
    """The complete trees of two configurations ("a" and "b": another package name), built
    once per module: their hashes, and the folders (to start a test from a complete tree)."""

    folders: dict[str, Path]

    def __getitem__(self, name: str) -> dict[str, str]:
        return tree(self.folders[name])

    def copy(self, name: str, out: Path) -> None:
        shutil.copytree(self.folders[name], out)


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> References:
    base = tmp_path_factory.mktemp("references")
    shutil.copy(REPO / "pyproject.toml", base / "pyproject.toml")
    shutil.copytree(REPO / "schemas", base / "schemas")
    folders = {}
    for name in ("a", "b"):
        folders[name] = base / f"ref-{name}"
        result = run("build", "--no-cache", "--package", name, "-o", str(folders[name]),
                     cwd=base, cache=base / "c")
        assert result.returncode == 0, result.stderr
    refs = References(folders)
    assert refs["a"] != refs["b"] and len(refs["a"]) > 40
    return refs


# --------------------------------------------------------------------------- what mofc owns


def test_tool_caches_are_neither_orphans_nor_deleted(project: Path, tmp_path: Path) -> None:
    cache, out = tmp_path / "c", project / "generated"
    assert run("build", cwd=project, cache=cache).returncode == 0
    planted = {
        ".mypy_cache/3.11/x.json": "mypy\n",
        ".ruff_cache/CACHEDIR.TAG": "ruff\n",
        ".pytest_cache/v/cache/lastfailed": "{}\n",
        "python/sms/__pycache__/_runtime.cpython-311.pyc": "pyc\n",
        "python/__pycache__/x.pyc": "pyc\n",
        ".gitignore": "*.pyc\n",
    }
    for rel, text in planted.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text)
    checked = run("check", cwd=project, cache=cache)
    assert checked.returncode == 0, checked.stdout
    image = project / "schemas" / "sms_image_package.mof"
    image.write_text(image.read_text().replace('Description("', 'Description("Edited. ', 1))
    built = run("build", cwd=project, cache=cache)
    assert built.returncode == 0, built.stderr
    assert " 0 deleted" in built.stdout
    for rel, text in planted.items():
        assert (out / rel).read_text() == text, rel
    assert run("check", cwd=project, cache=cache).returncode == 0


def test_target_acts_on_that_target_only(project: Path, tmp_path: Path) -> None:
    cache, out = tmp_path / "c", project / "generated"
    assert run("build", cwd=project, cache=cache).returncode == 0
    everything = tree(out)
    others = {p: d for p, d in everything.items() if not p.startswith("sql/")}
    built = run("build", "--target", "sql", "-O", 'dialects=["sqlite"]', cwd=project, cache=cache)
    assert built.returncode == 0, built.stderr
    assert " 2 deleted" in built.stdout  # the sql target's own postgresql and sqlserver files
    after = tree(out)
    assert {p: after.get(p) for p in others if p != ".mofc-manifest.json"} == {
        p: d for p, d in others.items() if p != ".mofc-manifest.json"
    }
    checked = run("check", "--target", "sql", "-O", 'dialects=["sqlite"]', cwd=project, cache=cache)
    assert checked.returncode == 0, checked.stdout
    assert "orphaned" not in checked.stdout
    # the other targets are still current by themselves
    for target in ("python", "validators", "docs"):
        assert run("check", "--target", target, cwd=project, cache=cache).returncode == 0, target
    # gen --target python into a folder holding other targets keeps them
    gen = run("gen", "--target", "python", "--package", "sms", "schemas/sms.mof", "-o",
              "generated", cwd=project, cache=cache)
    assert gen.returncode == 0, gen.stderr
    final = tree(out)
    assert [p for p in final if p.startswith("docs/")] == [p for p in everything if p.startswith("docs/")]
    assert "sql/sqlite/sms.sql" in final


def test_legacy_manifest_without_owners_keeps_other_targets() -> None:
    from mofc.generate.outputs import in_scope, parse_manifest

    legacy = parse_manifest(
        '{"generator": "mofc", "files": {"a.py": "1"}, "sources": ["s.mof"],'
        ' "targets": ["python", "docs"]}'
    )
    assert legacy is not None and legacy.files == {"a.py": ("docs,python", "1")}
    assert not in_scope("docs,python", ["python"]) and in_scope("docs,python", ["docs", "python"])
    again = parse_manifest(legacy.text())
    assert again == legacy


def test_configurations_do_not_share_a_cache_pack(project: Path, tmp_path: Path) -> None:
    """Two configurations with the same outputs (one has a useless -I): rebuilding one after
    an edit must not take the other's cached texts away."""
    cache = tmp_path / "c"
    extra = project / "extra"
    extra.mkdir()
    a = ("build", "-o", str(tmp_path / "a"))
    b = ("build", "-o", str(tmp_path / "b"), "-I", str(extra))
    assert run(*a, cwd=project, cache=cache).returncode == 0
    assert run(*b, cwd=project, cache=cache).returncode == 0
    image = project / "schemas" / "sms_image_package.mof"
    original = image.read_text()
    image.write_text(original.replace('Description("', 'Description("Edited. ', 1))
    assert run(*a, cwd=project, cache=cache).returncode == 0
    image.write_text(original)
    (tmp_path / "b" / "python" / "sms" / "__init__.py").write_text("damaged\n")
    mended = run(*b, cwd=project, cache=cache)
    assert mended.returncode == 0, mended.stderr
    assert "(from cache)" in mended.stdout and " 1 written" in mended.stdout
    assert run("check", "-o", str(tmp_path / "b"), cwd=project, cache=cache).returncode == 0


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_files_follow_the_umask(project: Path, tmp_path: Path, umask: int, mode: int) -> None:
    out = tmp_path / "out"
    result = run("build", "--no-cache", "-o", str(out), cwd=project, cache=tmp_path / "c",
                 umask=umask)
    assert result.returncode == 0, result.stderr
    modes = {p.stat().st_mode & 0o777 for p in out.rglob("*") if p.is_file()}
    assert modes == {mode}
    assert out.stat().st_mode & 0o777 == mode | 0o111 & ~umask


def test_output_folder_that_is_a_symbolic_link_stays_one(project: Path, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = project / "generated"
    link.symlink_to(real)
    assert run("build", cwd=project, cache=tmp_path / "c").returncode == 0
    assert link.is_symlink() and (real / "python" / "sms" / "__init__.py").is_file()
    assert run("check", cwd=project, cache=tmp_path / "c").returncode == 0


# --------------------------------------------------------------------------- one build at a time


def _hold_lock(out: Path) -> int:
    fd = os.open(out.parent / f".{out.name}.mofc-lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.write(fd, b"4242\n")
    return fd


def test_no_wait_fails_clearly_and_a_waiting_build_says_so(project: Path, tmp_path: Path) -> None:
    cache, out = tmp_path / "c", project / "generated"
    assert run("build", cwd=project, cache=cache).returncode == 0
    before = tree(out)
    fd = _hold_lock(out)
    try:
        busy = run("build", "--no-wait", "--package", "other", cwd=project, cache=cache)
        assert busy.returncode == 1
        assert "being written by another mofc run (pid 4242); not waiting (--no-wait)" in busy.stderr
        assert "left unchanged" not in busy.stderr  # the other run may be changing it
        assert tree(out) == before
        waiting = start("build", "--package", "other", cwd=project, cache=cache)
        time.sleep(3)
        assert waiting.poll() is None  # still waiting for the lock
    finally:
        os.close(fd)
    _, stderr = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, stderr
    assert "waiting for another mofc run (pid 4242) to finish with" in stderr
    assert "python/other/__init__.py" in tree(out)
    assert leftovers(out) == []


def test_two_builds_at_once_end_with_one_complete_tree(
    project: Path, tmp_path: Path, references: References
) -> None:
    out = tmp_path / "out"
    for _ in range(2):
        procs = {
            name: start("build", "--no-cache", "--package", name, "-o", str(out),
                        cwd=project, cache=tmp_path / "c")
            for name in ("a", "b")
        }
        results = {name: p.communicate(timeout=300) for name, p in procs.items()}
        for name, p in procs.items():
            assert p.returncode == 0, results[name][1]
        final = tree(out)
        winner = next(name for name in ("a", "b") if references[name] == final)
        loser = "b" if winner == "a" else "a"
        # the winner ran second, over the loser's tree: its report counts what it replaced
        assert " 0 written," not in results[winner][0], results[winner][0]
        assert run("check", "--package", winner, "-o", str(out), cwd=project,
                   cache=tmp_path / "c").returncode == 0
        assert run("check", "--package", loser, "-o", str(out), cwd=project,
                   cache=tmp_path / "c").returncode == 1
        assert leftovers(out) == []


# --------------------------------------------------------------------------- write errors


def test_file_name_too_long_leaves_the_folder_unchanged(project: Path, tmp_path: Path) -> None:
    cache, out = tmp_path / "c", project / "generated"
    assert run("build", cwd=project, cache=cache).returncode == 0
    before = tree(out)
    base = project / "schemas" / "sms_base.mof"
    original = base.read_text()
    long_name = "SMS_" + "L" * 296
    base.write_text(original + f"\nclass {long_name} : SMS_BaseClass {{ string Extra; }};\n")
    failed = run("build", cwd=project, cache=cache)
    assert failed.returncode == 1
    assert "File name too long" in failed.stderr and "Traceback" not in failed.stderr
    assert f"{out} was left unchanged" in failed.stderr
    assert tree(out) == before and leftovers(out) == []
    # a first build that fails the same way leaves no folder at all
    fresh = run("build", "-o", str(tmp_path / "fresh"), cwd=project, cache=cache)
    assert fresh.returncode == 1 and not (tmp_path / "fresh").exists()
    assert leftovers(tmp_path / "fresh") == []
    base.write_text(original)
    assert run("build", cwd=project, cache=cache).returncode == 0
    assert tree(out) == before


def test_a_simulated_write_failure_partway_changes_nothing(project: Path, tmp_path: Path) -> None:
    import dataclasses

    from mofc.generate import pipeline, staging

    out = tmp_path / "out"
    os.environ["MOFC_CACHE_DIR"] = str(tmp_path / "c")
    try:
        request = pipeline.GenerationRequest(
            entries=(project / "schemas" / "sms.mof",), output=out,
            targets=("python", "validators", "sql", "docs"), package="sms", label_root=project,
        )
        pipeline.build(request)
        before = tree(out)
        other = dataclasses.replace(request, package="other", use_cache=False)
        real_write, calls = staging._write_new, []

        def failing(path: str, data: bytes) -> None:
            calls.append(path)
            if len(calls) == 7:
                raise OSError(errno.ENOSPC, "No space left on device")
            real_write(path, data)

        staging._write_new = failing  # type: ignore[assignment]
        try:
            with pytest.raises(staging.OutputError) as caught:
                pipeline.build(other)
        finally:
            staging._write_new = real_write  # type: ignore[assignment]
        assert "No space left on device" in str(caught.value)
        assert caught.value.outcome == f"{out} was left unchanged"
        assert tree(out) == before and leftovers(out) == []
        pipeline.build(other)
        assert "python/other/__init__.py" in tree(out)
    finally:
        del os.environ["MOFC_CACHE_DIR"]


def test_a_full_disk_changes_nothing(project: Path, tmp_path: Path) -> None:
    """A small tmpfs as the output folder's file system (needs the right to mount)."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here: " + done.stderr.decode(errors="replace").strip())
    try:
        cache = tmp_path / "c"
        for out in (mount / "out", mount):  # beside (exchange), then the mount point itself
            assert run("build", "--no-cache", "-o", str(out), cwd=project, cache=cache).returncode == 0
            before = tree(out)
            stats = os.statvfs(mount)
            used = (stats.f_blocks - stats.f_bfree) * stats.f_frsize
            subprocess.run(["mount", "-o", f"remount,size={used + 64 * 1024}", str(mount)], check=True)
            full = run("build", "--no-cache", "--package", "other", "-o", str(out), cwd=project,
                       cache=cache)
            assert full.returncode == 1, full.stdout
            assert "No space left on device" in full.stderr, full.stderr
            assert f"{out} was left unchanged" in full.stderr
            assert tree(out) == before and leftovers(out) == []
            subprocess.run(["mount", "-o", "remount,size=4m", str(mount)], check=True)
            again = run("build", "--no-cache", "--package", "other", "-o", str(out), cwd=project,
                        cache=cache)
            assert again.returncode == 0, again.stderr
            assert "python/other/__init__.py" in tree(out)
            shutil.rmtree(mount / "out", ignore_errors=True)
            for entry in list(mount.iterdir()):
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True, check=False)


# --------------------------------------------------------------------------- crashes

_CRASHER = r"""
import errno, os, sys
from mofc.generate import staging
point, after = sys.argv[1], int(sys.argv[2])
calls = [0]

def dying(function):
    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        calls[0] += 1
        if calls[0] == after:
            os._exit(9)
        return result
    return wrapper

def no_exchange(a, b):
    raise OSError(errno.ENOSYS, "no exchange")

if point.startswith("journal"):
    staging.exchange = no_exchange
if point.endswith("write"):
    staging._write_new = dying(staging._write_new)
elif point.endswith("rename"):
    os.rename = dying(os.rename)
elif point.endswith("exchange"):
    staging.exchange = dying(staging.exchange)
elif point.endswith("unlink"):
    os.unlink = dying(os.unlink)
from mofc.cli import main
sys.exit(main(sys.argv[3:]))
"""


@pytest.mark.parametrize(
    "point, after",
    [
        ("write", 10),  # partway through staging
        ("exchange", 1),  # right after the switch, before the old tree is removed
        ("unlink", 15),  # while removing the old tree
        ("journal-write", 10),
        ("journal-rename", 1),  # the old tree partly moved aside
        ("journal-rename", 4),  # the old tree moved aside, before the journal says so
        ("journal-rename", 6),  # the new tree partly moved in
        ("journal-unlink", 10),
    ],
)
def test_a_crash_at_each_step_is_finished_by_the_next_build(
    project: Path, tmp_path: Path, references: References, point: str, after: int
) -> None:
    cache, out = tmp_path / "c", tmp_path / "out"
    references.copy("a", out)
    (out / ".mypy_cache").mkdir()
    (out / ".mypy_cache" / "kept").write_text("kept\n")
    crashed = start(point, str(after), "build", "--no-cache", "--package", "b", "-o", str(out),
                    cwd=project, cache=cache, script=_CRASHER)
    _, stderr = crashed.communicate(timeout=300)
    assert crashed.returncode == 9, stderr
    after_crash = tree(out)
    recoverable = after_crash in (references["a"], references["b"])
    if not recoverable:  # only the journalled switch may show a mix, and the next build ends it
        assert point.startswith(("journal-rename", "journal-unlink")), point
    again = run("build", "--no-cache", "--package", "b", "-o", str(out), cwd=project, cache=cache)
    assert again.returncode == 0, again.stderr
    assert "mofc: removed the staging folder of an interrupted build" in again.stderr or (
        "mofc: removed the old tree left by an interrupted build" in again.stderr
    ) or "mofc: finished switching in the new tree of an interrupted build" in again.stderr
    assert tree(out) == references["b"]
    assert (out / ".mypy_cache" / "kept").read_text() == "kept\n"
    assert leftovers(out) == []


def test_kill_9_at_random_moments(
    project: Path, tmp_path: Path, references: References
) -> None:
    """Builds killed at random moments, into a missing folder, an empty one, and over
    complete trees; the folder is always one complete tree, and the last build succeeds.

    The kill comes at a random fraction of a window that starts at the length of one
    build and shrinks whenever a build finished before its kill, so at least ten of the
    builds die while running however fast or loaded the machine is."""
    cache, out = tmp_path / "c", tmp_path / "out"
    timed = time.monotonic()
    assert run("build", "--no-cache", "--package", "a", "-o", str(out), cwd=project,
               cache=cache).returncode == 0
    window = time.monotonic() - timed
    shutil.rmtree(out)
    rng = random.Random(int(os.environ.get("MOFC_CRASH_SEED", "11")))
    state: dict[str, str] = {}
    killed_during_run = rounds = 0
    while rounds < 20 or (killed_during_run < 10 and rounds < 60):
        n, rounds = rounds, rounds + 1
        name = "ab"[n % 2]
        if n < 6:  # into a missing folder, then into an empty one
            shutil.rmtree(out, ignore_errors=True)
            if n >= 3:
                out.mkdir()
            state = {}
        elif state != references["ba"[n % 2]]:  # over the other configuration's tree
            shutil.rmtree(out, ignore_errors=True)
            references.copy("ba"[n % 2], out)
            state = tree(out)
        proc = start("build", "--no-cache", "--package", name, "-o", str(out), cwd=project,
                     cache=cache)
        time.sleep(rng.uniform(0.05, 1.0) * window)
        if proc.poll() is None:
            killed_during_run += 1
            proc.send_signal(signal.SIGKILL)
        else:  # finished first: aim earlier from now on
            window *= 0.8
        proc.communicate(timeout=300)
        now = tree(out)
        assert now in (state, references[name]), f"kill {n}: a mixed tree"
        if now:
            assert (out / ".mofc-manifest.json").is_file()
        state = now
    assert killed_during_run >= 10, (killed_during_run, rounds)
    final = run("build", "--no-cache", "--package", "a", "-o", str(out), cwd=project, cache=cache)
    assert final.returncode == 0, final.stderr
    assert tree(out) == references["a"] and leftovers(out) == []


# --------------------------------------------------------------------------- the journalled switch


@pytest.mark.parametrize("inside", [False, True])
def test_journalled_switch_where_the_exchange_is_missing(
    project: Path, tmp_path: Path, references: References, monkeypatch: pytest.MonkeyPatch,
    inside: bool,
) -> None:
    """Without renameat2 (or staging inside the folder, as for a mount point), the journalled
    switch gives the same tree, keeps tool caches and leaves nothing behind."""
    import dataclasses

    from mofc.generate import pipeline, staging

    def no_exchange(a: Path, b: Path) -> None:
        raise OSError(errno.ENOSYS, "no exchange here")

    def inside_layout(output: Path) -> staging.Layout:
        real = Path(os.path.realpath(output))
        return staging.Layout(real, real / ".mofc-staging", real / ".mofc-old",
                              real / ".mofc-lock", True)

    monkeypatch.setattr(staging, "exchange", no_exchange)
    if inside:
        monkeypatch.setattr(pipeline, "layout_for", inside_layout)
    monkeypatch.setenv("MOFC_CACHE_DIR", str(tmp_path / "c"))
    out = tmp_path / "out"
    references.copy("a", out)
    (out / "python" / "__pycache__").mkdir()
    (out / "python" / "__pycache__" / "x.pyc").write_text("pyc\n")
    (out / ".ruff_cache").mkdir()
    request = pipeline.GenerationRequest(
        entries=(project / "schemas" / "sms.mof",), output=out,
        targets=("python", "validators", "sql", "docs"), package="b", label_root=project,
        use_cache=False,
    )
    report, _ = pipeline.build(request)
    assert tree(out) == references["b"]
    assert (out / ".ruff_cache").is_dir() and leftovers(out) == []
    assert report.written and report.deleted
    report, _ = pipeline.build(dataclasses.replace(request, package="a"))
    assert tree(out) == references["a"]
    assert (out / "python" / "__pycache__" / "x.pyc").read_text() == "pyc\n"


@pytest.mark.parametrize("failing_rename", [1, 3, 5, 6])
def test_a_failed_rename_in_the_journalled_switch_is_undone(
    project: Path, tmp_path: Path, references: References, monkeypatch: pytest.MonkeyPatch,
    failing_rename: int,
) -> None:
    """An error (not a crash) partway through the journalled switch puts the old tree back."""
    from mofc.generate import pipeline, staging

    def no_exchange(a: Path, b: Path) -> None:
        raise OSError(errno.ENOSYS, "no exchange here")

    real_rename, calls = os.rename, []

    def rename(a: object, b: object) -> None:
        calls.append(a)
        if len(calls) == failing_rename:
            raise OSError(errno.EACCES, "Permission denied")
        real_rename(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(staging, "exchange", no_exchange)
    monkeypatch.setenv("MOFC_CACHE_DIR", str(tmp_path / "c"))
    out = tmp_path / "out"
    references.copy("a", out)
    request = pipeline.GenerationRequest(
        entries=(project / "schemas" / "sms.mof",), output=out,
        targets=("python", "validators", "sql", "docs"), package="b", label_root=project,
        use_cache=False,
    )
    monkeypatch.setattr(staging.os, "rename", rename)
    with pytest.raises(staging.OutputError) as caught:
        pipeline.build(request)
    monkeypatch.setattr(staging.os, "rename", real_rename)
    assert "Permission denied" in str(caught.value)
    assert caught.value.outcome == f"{out} was left unchanged"
    assert tree(out) == references["a"] and leftovers(out) == []


_FORKING_HOLDER = r"""
import os, sys, time
from pathlib import Path
from mofc.generate.lock import OutputLock
out = Path(sys.argv[1])
with OutputLock(out.parent / f".{out.name}.mofc-lock", out):
    child = os.fork()
    if child == 0:  # like one of black's workers
        time.sleep(120)
        os._exit(0)
    print(child, flush=True)
    time.sleep(120)
"""


def test_a_killed_build_leaves_no_process_holding_the_lock(tmp_path: Path) -> None:
    """Processes a build forks (black's workers) let go of the lock and die with the build:
    after ``kill -9`` the next build need not wait."""
    from mofc.generate.lock import OutputBusy, OutputLock

    out = tmp_path / "out"
    holder = start(str(out), cwd=tmp_path, cache=tmp_path / "c", script=_FORKING_HOLDER)
    assert holder.stdout is not None
    child = int(holder.stdout.readline())
    with pytest.raises(OutputBusy):
        with OutputLock(out.parent / f".{out.name}.mofc-lock", out, wait=False):
            pass
    holder.kill()
    holder.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the forked child outlived the killed build")
    with OutputLock(out.parent / f".{out.name}.mofc-lock", out, wait=False):
        pass


def test_a_build_with_nothing_to_change_leaves_the_folder_untouched(
    project: Path, tmp_path: Path, references: References
) -> None:
    out = tmp_path / "out"
    references.copy("a", out)
    before = {p: p.stat().st_ino for p in out.rglob("*")}
    folder_inode = out.stat().st_ino
    built = run("build", "--no-cache", "--package", "a", "-o", str(out), cwd=project,
                cache=tmp_path / "c")
    assert built.returncode == 0, built.stderr
    assert " 0 written, 0 deleted, " in built.stdout
    assert out.stat().st_ino == folder_inode
    assert {p: p.stat().st_ino for p in out.rglob("*")} == before
    assert leftovers(out) == []
