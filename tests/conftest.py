"""Shared fixtures: the DMTF CIM Schema 2.49 and pywbem's test MOFs (downloaded once and cached),
and the WMI corpus in ../shared."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
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
    path = SHARED / "corpus" / "wmi"
    if not path.is_dir():
        pytest.skip(f"the WMI corpus is not on this machine ({path} is missing)")
    return path
