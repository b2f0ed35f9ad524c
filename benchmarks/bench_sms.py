"""Benchmark: the project's own schema (schemas/sms.mof, 10 classes) built as a user builds it.

In one run, several repetitions, mofc and pywbem alternating, each command a fresh process
(wall time of the whole process: interpreter start-up, imports, work, teardown):

- **pywbem**: ``MOFCompiler.compile_file`` on the same schema. pywbem 1.9.1 does not read three
  WMI spellings the schema uses, so it compiles a copy where they are spelled the DMTF way (no
  ``#pragma namespace`` with a WMI path, ``+000`` instead of a ``+***`` datetime offset, the
  class-typed property as ``[EmbeddedInstance(...)] string``, no parameter defaults);
- **cold**: ``mofc build --no-cache`` into an empty output folder (all four targets of the
  project's configuration);
- **one edit**: one class's description changed, then ``mofc build`` (the cache holds the
  previous run);
- **warm**: ``mofc build`` again with nothing changed.

Prints every run, the medians and the ratios against pywbem with their targets: cold at most
2x, one edit at most 1.5x, warm at most 0.5x.

    python benchmarks/bench_sms.py [--reps N]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from processes import REPO, Run, environment, load_note, median, python, run, verdict

EDITED = "XML holding the metadata of the source WIM file."

PYWBEM_RUN = r"""
import pywbem
compiler = pywbem.MOFCompiler(pywbem.MOFWBEMConnection(), search_paths=[{folder!r}])
compiler.compile_file({entry!r}, "root/cimv2")
print(len(compiler.handle.classes["root/cimv2"]))
"""


def dmtf_copy(source: Path, target: Path) -> None:
    """The schema with its WMI-only spellings written the DMTF way (for pywbem)."""
    target.mkdir(parents=True)
    for path in source.glob("*.mof"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^#pragma namespace\(.*\)$", "", text)
        text = text.replace('+***"', '+000"')
        text = re.sub(
            r"\]\s*\n(\s+)(SMS_\w+) (\w+)(\[\])?;",
            r', EmbeddedInstance("\2")]\n\1string \3\4;',
            text,
        )
        if path.name != "qualifiers.mof":  # parameter defaults (a DSP0004 3.0 addition)
            text = re.sub(
                r'(\b\w+(?:\[\])?)\s*=\s*(?:true|false|"[^"]*"|-?[\d.]+)\s*(?=\)\s*;|,\s*\n)',
                r"\1",
                text,
            )
        else:
            text += (
                "\nQualifier EmbeddedInstance : string = null,\n    Scope(property, parameter);\n"
            )
        (target / path.name).write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mofc-bench-sms-"))
    try:
        project = work / "project"
        project.mkdir()
        shutil.copytree(REPO / "schemas", project / "schemas")
        shutil.copy(REPO / "pyproject.toml", project / "pyproject.toml")
        dmtf_copy(REPO / "schemas", work / "dmtf")
        pywbem_code = PYWBEM_RUN.format(
            folder=str(work / "dmtf"), entry=str(work / "dmtf" / "sms.mof")
        )
        env = environment(MOFC_CACHE_DIR=str(work / "cache"))
        mofc = [sys.executable, "-m", "mofc", "build"]
        edited = project / "schemas" / "sms_image_package.mof"
        original = edited.read_text(encoding="utf-8")
        if EDITED not in original:
            raise SystemExit(f"bench_sms: {edited} no longer holds the description it edits")
        classes = python(pywbem_code).stdout.strip()  # warms the file and bytecode caches
        run(mofc, env, project)  # fills the cache for the first one-edit run
        results: dict[str, list[float]] = {"pywbem": [], "cold": [], "one edit": [], "warm": []}
        cpu: dict[str, list[float]] = {name: [] for name in results}

        def record(name: str, done: Run) -> None:
            results[name].append(done.seconds)
            cpu[name].append(done.cpu)

        for rep in range(args.reps):
            steps = ["pywbem", "mofc"] if rep % 2 else ["mofc", "pywbem"]
            for step in steps:
                if step == "pywbem":
                    record("pywbem", python(pywbem_code))
                    continue
                shutil.rmtree(project / "generated", ignore_errors=True)
                record("cold", run([*mofc, "--no-cache"], env, project))
                text = original.replace(EDITED, EDITED[:-1] + f" (edit {rep + 1}).")
                edited.write_text(text, encoding="utf-8")
                record("one edit", run(mofc, env, project))
                record("warm", run(mofc, env, project))
            print(
                f"rep {rep + 1}: "
                + "  ".join(
                    f"{name} {results[name][-1]:.3f} s (cpu {cpu[name][-1]:.3f})"
                    for name in results
                ),
                flush=True,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    peer, peer_cpu = median(results["pywbem"]), median(cpu["pywbem"])
    print(f"\nSMS schema ({classes} classes for pywbem), {args.reps} repetitions; {load_note()}")
    print(f"pywbem whole-process compile: median {peer:.3f} s, cpu {peer_cpu:.3f} s")
    limits = {"cold": 2.0, "one edit": 1.5, "warm": 0.5}
    for name, limit in limits.items():
        value, value_cpu = median(results[name]), median(cpu[name])
        print(
            f"mofc {name:9s} median {value:.3f} s: {verdict(value / peer, limit)}; "
            f"cpu {value_cpu:.3f} s: {verdict(value_cpu / peer_cpu, limit)}"
        )


if __name__ == "__main__":
    main()
