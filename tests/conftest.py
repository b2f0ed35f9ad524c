"""Shared fixtures: the DMTF CIM Schema 2.49 and pywbem's test MOFs (downloaded once and cached),
and the WMI corpus in ../shared."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PYWBEM_VERSION = "1.9.1"
CIM_ENTRY = "cim_schema_2.49.0.mof"


def cache_dir() -> Path:
    base = os.environ.get("MOFC_TEST_CACHE") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    path = root / "mofc-tests"
    path.mkdir(parents=True, exist_ok=True)
    return path


def pywbem_sdist() -> Path:
    """The unpacked pywbem 1.9.1 source distribution (downloaded with pip once, then cached)."""
    target = cache_dir() / f"pywbem-{PYWBEM_VERSION}"
    if (target / "tests").is_dir():
        return target
    download = cache_dir() / "download"
    download.mkdir(exist_ok=True)
    archive = download / f"pywbem-{PYWBEM_VERSION}.tar.gz"
    if not archive.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary",
             ":all:", f"pywbem=={PYWBEM_VERSION}", "-d", str(download)],
            check=True,
        )
    partial = cache_dir() / f"pywbem-{PYWBEM_VERSION}.partial"
    with tarfile.open(archive) as tar:
        tar.extractall(partial, filter="data")
    (partial / f"pywbem-{PYWBEM_VERSION}").rename(target)
    partial.rmdir()
    return target


def cim_schema() -> Path:
    """The folder holding the unzipped CIM Schema 2.49 MOFs (cim_schema_2.49.0.mof at the top)."""
    target = cache_dir() / "cim_schema_2.49.0"
    if (target / CIM_ENTRY).is_file():
        return target
    zip_path = pywbem_sdist() / "tests" / "schema" / "cim_schema_2.49.0Final-MOFs.zip"
    partial = cache_dir() / "cim_schema_2.49.0.partial"
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(partial)
    partial.rename(target)
    return target


@pytest.fixture(scope="session")
def cim_schema_dir() -> Path:
    return cim_schema()


@pytest.fixture(scope="session")
def cim_entry(cim_schema_dir: Path) -> Path:
    return cim_schema_dir / CIM_ENTRY


@pytest.fixture(scope="session")
def pywbem_testmofs() -> Path:
    return pywbem_sdist() / "tests" / "unittest" / "pywbem" / "testmofs"


@pytest.fixture(scope="session")
def wmi_corpus() -> Path:
    path = Path(os.environ.get("MOFC_WMI_CORPUS") or SHARED / "corpus" / "wmi")
    if not path.is_dir():
        pytest.skip(f"the WMI corpus is not on this machine ({path} is missing)")
    return path


# --------------------------------------------------------------------------- PostgreSQL server


def postgres_bin_dir() -> Path | None:
    """The folder of the newest PostgreSQL server binaries (initdb, pg_ctl), or None."""
    import glob
    import re
    import shutil

    candidates = []
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    patterns = (
        "/usr/lib/postgresql/*/bin",
        "/usr/pgsql-*/bin",
        "/usr/local/pgsql/bin",
        "/opt/homebrew/opt/postgresql*/bin",
        "/usr/local/opt/postgresql*/bin",
    )
    found = sorted(
        {Path(p) for pattern in patterns for p in glob.glob(pattern)},
        key=lambda p: [int(n) for n in re.findall(r"\d+", str(p))] or [0],
        reverse=True,
    )
    candidates.extend(found)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


class PostgresServer:
    """A throw-away PostgreSQL cluster on a free local port, its socket in a temporary folder.

    initdb refuses to run as root, so as root the cluster belongs to the ``postgres`` system user
    (``nobody`` when there is none); otherwise to the current user.
    """

    def __init__(self, bin_dir: Path) -> None:
        import socket
        import tempfile

        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="mofc-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.user: dict[str, object] = {}
        if os.geteuid() == 0:
            import pwd

            for name in ("postgres", "nobody"):
                try:
                    entry = pwd.getpwnam(name)
                except KeyError:
                    continue
                self.user = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
                os.chown(self.root, entry.pw_uid, entry.pw_gid)
                break
            else:
                raise RuntimeError("running as root and no unprivileged user for PostgreSQL")

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        result = subprocess.run(  # type: ignore[call-overload]
            command, capture_output=True, text=True, cwd=self.root, timeout=120, check=False,
            **self.user,
        )  # fmt: skip
        if result.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"{args[0]} failed:\n{result.stdout}{result.stderr}{log}")

    def start(self) -> None:
        initdb = ("-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        self._run("initdb", *initdb, "--no-locale", "--no-sync")
        settings = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        log = ("-l", str(self.log))
        self._run("pg_ctl", "-D", str(self.data), *log, "-o", settings, "-w", "-t", "60", "start")

    def stop(self) -> None:
        import shutil

        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def dsn(self, database: str = "postgres") -> str:
        return f"host={self.root} port={self.port} user=postgres dbname={database}"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A running PostgreSQL server for the session; skipped only when no binaries exist."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        pytest.skip(
            "no PostgreSQL server binaries (initdb, pg_ctl) on this machine: install the "
            "Debian package postgresql (.ci/run does) to run the PostgreSQL tests"
        )
    server = PostgresServer(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture()
def postgres_dsn(postgres_server: PostgresServer, request: pytest.FixtureRequest) -> Iterator[str]:
    """A new, empty database on the session's server (dropped afterwards): its DSN."""
    import re

    import psycopg

    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:40] + f"_{os.getpid()}"
    with psycopg.connect(postgres_server.dsn(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_server.dsn(name)
    finally:
        with psycopg.connect(postgres_server.dsn(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
