"""Every acceptance property of ``mofc fmt`` over the whole CIM Schema 2.49 and WMI corpus.

Run: ``python tests/stress/fmt_corpus.py`` (from the repository root). Prints files/total for
each property and exits 1 on any failure. The WMI files are compiled one by one; CIM is
formatted file by file into a copy, and the copy's entry file compiled to the same JSON model.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import CIM_ENTRY, SHARED, cim_schema
from fmt_properties import Tally, check_file
from test_wmi_corpus import RESOLVE_INVALID, corpus_files, parsing_files

from mofc.api import compile_files
from mofc.json_model import model_to_json


def valid_files(root: Path) -> list[str]:
    """The corpus files that compile (parse and resolve without errors)."""
    return [rel for rel in parsing_files(root) if rel not in RESOLVE_INVALID]


def wmi(tally: Tally, root: Path) -> None:
    for rel in valid_files(root):
        check_file((root / rel).read_bytes(), rel, tally)


def cim(tally: Tally) -> bool:
    source = cim_schema()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "cim"
        shutil.copytree(source, copy)
        for path in sorted(source.rglob("*.mof")):
            rel = path.relative_to(source).as_posix()
            new = check_file(path.read_bytes(), rel, tally, compare_model=False)
            if new is not None:
                (copy / rel).write_bytes(new)
        same = model_to_json(compile_files([source / CIM_ENTRY])) == model_to_json(
            compile_files([copy / CIM_ENTRY])
        )
    return same


def main() -> int:
    """Usage: fmt_corpus.py [WMI_CORPUS_DIR] (default: ../shared/corpus/wmi)."""
    started = time.perf_counter()
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED / "corpus" / "wmi"
    tally = Tally()
    wmi(tally, root)
    print(f"WMI corpus ({len(corpus_files(root))} files, "
          f"{tally.total} valid):")
    print("\n".join(tally.lines()))
    cim_tally = Tally()
    same = cim(cim_tally)
    print(f"CIM Schema 2.49 ({cim_tally.total} files):")
    print("\n".join(cim_tally.lines(per_file_model=False)))
    print(f"  same model (whole schema compiled from the formatted copy): {'yes' if same else 'NO'}")
    print(f"{time.perf_counter() - started:.1f} s")
    for failure in tally.failures + cim_tally.failures:
        print("FAIL", failure)
    return 0 if same and not tally.failures and not cim_tally.failures else 1


if __name__ == "__main__":
    sys.exit(main())
