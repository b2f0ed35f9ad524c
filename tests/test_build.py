"""`mofc build`, `check` and `gen`: reproducible, safe, cached, and honest about staleness.

Each test works on a copy of the project (pyproject.toml, schemas/, generated/) in a temporary
folder, with its own cache folder, through the real command line.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def mofc(
    *args: str, cwd: Path, cache: Path, seed: str = "0"
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "MOFC_CACHE_DIR": str(cache),
        "PYTHONHASHSEED": seed,
    }
    return subprocess.run(
        [sys.executable, "-m", "mofc", *args], capture_output=True, text=True, cwd=cwd, env=env
    )


def tree(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file, caches excluded."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(REPO / "schemas", root / "schemas")
    shutil.copytree(REPO / "generated", root / "generated")
    return root


def test_committed_generated_is_current(project: Path, tmp_path: Path) -> None:
    """A fresh copy: `mofc check` passes and `mofc build` writes nothing."""
    before = tree(project / "generated")
    assert len(before) > 10
    checked = mofc("check", "--no-cache", cwd=project, cache=tmp_path / "cache")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = mofc("build", cwd=project, cache=tmp_path / "cache")
    assert built.returncode == 0, built.stderr
    assert " 0 written, 0 deleted, " in built.stdout
    assert tree(project / "generated") == before


def test_check_names_stale_missing_and_orphaned_files_and_build_mends_them(
    project: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    generated = project / "generated"
    before = tree(generated)
    image = project / "schemas" / "sms_image_package.mof"
    original = image.read_text(encoding="utf-8")
    image.write_text(original.replace('Description("', 'Description("Edited. ', 1), encoding="utf-8")
    victim = sorted(p for p in before if p.endswith(".py") and "image" not in p)[0]
    (generated / victim).unlink()
    (generated / "python" / "stray.py").write_text("x = 1\n")

    checked = mofc("check", cwd=project, cache=cache)
    assert checked.returncode == 1
    lines = checked.stdout.splitlines()
    stale = {line.split(": stale: ")[1] for line in lines if ": stale: " in line}
    assert {"python/sms/sms_image_package.py", "docs/html/SMS_ImagePackage.html"} <= stale
    # Only what shows the edited description: the class's own outputs, indexes, one-file SQL.
    assert not [p for p in stale if "oftware" in p or "chedule" in p], stale
    assert any(line.endswith(f": missing: {victim}") for line in lines), checked.stdout
    assert any(line.endswith(": orphaned: python/stray.py") for line in lines), checked.stdout

    built = mofc("build", cwd=project, cache=cache)
    assert built.returncode == 0, built.stderr
    assert mofc("check", cwd=project, cache=cache).returncode == 0
    assert not (generated / "python" / "stray.py").exists()
    assert (generated / victim).is_file()

    image.write_text(original, encoding="utf-8")  # back to the committed schema
    assert mofc("build", cwd=project, cache=cache).returncode == 0
    assert tree(generated) == before


def test_removed_class_outputs_are_deleted(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    entry = project / "schemas" / "sms.mof"
    text = entry.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if "sms_software_updates_package.mof" in x)
    entry.write_text(text.replace(line + "\n", ""), encoding="utf-8")
    built = mofc("build", cwd=project, cache=cache)
    assert built.returncode == 0, built.stderr
    left = tree(project / "generated")
    assert not [p for p in left if "software_updates" in p]
    assert mofc("check", cwd=project, cache=cache).returncode == 0


def test_same_output_whatever_the_hash_seed(project: Path, tmp_path: Path) -> None:
    for seed in ("0", "1"):
        out = tmp_path / f"out{seed}"
        result = mofc("build", "--no-cache", "-o", str(out), cwd=project, cache=tmp_path / "c",
                      seed=seed)
        assert result.returncode == 0, result.stderr
    assert tree(tmp_path / "out0") == tree(tmp_path / "out1")
    assert len(tree(tmp_path / "out0")) > 10


def test_broken_template_leaves_generated_unchanged(project: Path, tmp_path: Path) -> None:
    generated = project / "generated"
    (project / "schemas" / "sms_image_package.mof").write_text(
        (project / "schemas" / "sms_image_package.mof")
        .read_text(encoding="utf-8")
        .replace('Description("', 'Description("Edited. ', 1),
        encoding="utf-8",
    )
    before = tree(generated)
    overrides = tmp_path / "templates"
    from mofc.generate.templates import default_template_dir

    templates = sorted(p for p in default_template_dir().rglob("*.j2"))
    assert templates
    # Break the template used last, so that other files are already rendered when it fails.
    broken = templates[-1]
    target = overrides / broken.relative_to(default_template_dir())
    target.parent.mkdir(parents=True)
    target.write_text(broken.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")
    result = mofc("build", "--templates", str(overrides), cwd=project, cache=tmp_path / "c")
    assert result.returncode == 1
    assert "template syntax error" in result.stderr
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(generated) == before


def test_warm_rebuild_comes_from_cache_and_no_cache_bypasses_it(
    project: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    out = tmp_path / "out"
    first = mofc("build", "-o", str(out), cwd=project, cache=cache)
    assert first.returncode == 0 and "(from cache)" not in first.stdout
    second = mofc("build", "-o", str(out), cwd=project, cache=cache)
    assert second.returncode == 0 and "(from cache)" in second.stdout
    assert " 0 written, " in second.stdout
    (out / "python" / "sms" / "__init__.py").write_text("damaged\n")
    mended = mofc("build", "-o", str(out), cwd=project, cache=cache)
    assert "(from cache)" in mended.stdout and " 1 written, " in mended.stdout
    bypass = mofc("build", "--no-cache", "-o", str(out), cwd=project, cache=cache)
    assert "(from cache)" not in bypass.stdout
    assert tree(out) == tree(project / "generated")


def test_an_edit_reformats_only_what_changed(project: Path, tmp_path: Path) -> None:
    from mofc.generate import pipeline
    from mofc.generate.cache import Cache

    os.environ["MOFC_CACHE_DIR"] = str(tmp_path / "cache")
    try:
        request = pipeline.GenerationRequest(
            entries=(project / "schemas" / "sms.mof",),
            output=tmp_path / "out",
            targets=("python", "validators"),
            package="sms",
            label_root=project,
        )
        _, first = pipeline.build(request)
        assert first.formatted > 5
        image = project / "schemas" / "sms_image_package.mof"
        image.write_text(
            image.read_text(encoding="utf-8").replace('Description("', 'Description("Edited. ', 1),
            encoding="utf-8",
        )
        _, second = pipeline.build(request)
        assert 1 <= second.formatted <= 2  # the image package's model (and validator)
        assert Cache().folder.is_dir()
    finally:
        del os.environ["MOFC_CACHE_DIR"]


def test_refuses_a_folder_it_did_not_generate(project: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine\n")
    result = mofc("build", "-o", str(foreign), cwd=project, cache=tmp_path / "c")
    assert result.returncode == 2  # a usage error: the folder is not mofc's
    assert "no .mofc-manifest.json" in result.stderr
    assert (foreign / "notes.txt").read_text() == "mine\n"


def test_gen_works_without_a_project(tmp_path: Path) -> None:
    (tmp_path / "a.mof").write_text(
        'class Demo_Thing {\n  [Key, Description("The id.")] string Id;\n'
        '  [ValueMap {"1", "2"}, Values {"One", "Two"}] uint16 Level;\n};\n'
    )
    result = mofc(
        "gen", "--target", "python", "--target", "validators", "a.mof", "-o", "out",
        cwd=tmp_path, cache=tmp_path / "c",
    )
    assert result.returncode == 0, result.stderr
    files = tree(tmp_path / "out")
    assert "python/a/__init__.py" in files
    assert any(p.startswith("python/a_validators/") for p in files)


def test_gen_with_a_mof_error_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "bad.mof").write_text("class A {\n  uint32 x\n};\n")
    result = mofc("gen", "--target", "python", "bad.mof", "-o", "out", cwd=tmp_path,
                  cache=tmp_path / "c")
    assert result.returncode == 1
    assert "bad.mof:2:" in result.stderr
    assert not (tmp_path / "out").exists()


def test_unknown_target_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.mof").write_text("class A { string x; };\n")
    result = mofc("gen", "--target", "cobol", "a.mof", "-o", "out", cwd=tmp_path,
                  cache=tmp_path / "c")
    assert result.returncode == 2
    assert "unknown target 'cobol'" in result.stderr
