"""The generation pipeline: MOF -> model -> targets -> black -> output folder.

:func:`expected_outputs` works out, in memory, the exact content of every output file. When the
cache holds a run of the same configuration whose input files all still hash the same, it takes
the outputs from there without parsing anything (a warm rebuild). Otherwise it compiles the
schema, renders every target and formats the Python (reusing cached black results).
:func:`build` then writes what differs; :func:`check` only compares. Nothing is written unless
every file was rendered and formatted without error.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import Diagnostic, Span
from .cache import Cache, sha256
from .errors import GenerationError
from .outputs import TreeStatus, WriteReport, compare, ensure_owned, manifest_text, write_tree
from .progress import Progress
from .target import GeneratedFile, RenderContext, TargetError
from .templates import fingerprint as template_fingerprint

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class GenerationRequest:
    """Everything that decides the output of a run (all of it goes into the cache key)."""

    entries: tuple[Path, ...]
    output: Path
    targets: tuple[str, ...]
    include_dirs: tuple[Path, ...] = ()
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    package: str = "schema"
    template_dirs: tuple[Path, ...] = ()
    strict: bool = False
    warnings_as_errors: bool = False
    label_root: Path = Path(".")
    use_cache: bool = True
    command: str = "mofc build"
    external_classes: tuple[str, ...] = ()
    bundled: bool = True

    def source_labels(self) -> list[str]:
        """The entry files relative to the project (or working) folder, POSIX style, sorted
        (the output does not depend on the order they were given in)."""
        labels = []
        for entry in self.entries:
            try:
                labels.append(Path(os.path.relpath(entry, self.label_root)).as_posix())
            except ValueError:  # another drive on Windows
                labels.append(entry.name)
        return sorted(labels, key=lambda label: (label.casefold(), label))

    def source_label(self) -> str:
        return ", ".join(self.source_labels())


@dataclass(slots=True)
class Outputs:
    """What the output folder must hold: the hash of every file, the texts on demand.

    digests: {relative path: SHA-256 of the content}. ``contents()`` gives the bytes; a warm
    run loads them from the cache only when a file on disk has to be written.
    formatted: how many Python files black had to format in this run.
    """

    digests: dict[str, str]
    sources: list[str]
    warnings: list[Diagnostic]
    from_cache: bool = False
    formatted: int = 0
    _contents: dict[str, bytes] | None = None
    _pack: tuple[Cache, str] | None = None

    def contents(self) -> dict[str, bytes]:
        if self._contents is None:
            self._contents = _load_pack_contents(self)
        return self._contents


# --------------------------------------------------------------------------- in memory


def expected_outputs(request: GenerationRequest, progress: Progress | None = None) -> Outputs:
    """Every output file for ``request`` (from the cache when no input changed)."""
    progress = progress or Progress(enabled=False)
    cache = Cache() if request.use_cache else None
    key = _run_key(request)
    record = cache.get_run(key) if cache is not None else None
    if cache is not None and record is not None and _inputs_unchanged(record):
        try:
            return Outputs(
                dict(record["outputs"]),
                list(record["sources"]),
                [_warning_from_record(w) for w in record["warnings"]],
                from_cache=True,
                _pack=(cache, str(record["pack"])),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            pass
    known = _formatted_from_last_run(cache, record)
    return _generate(request, cache, key, record, known, progress)


def _generate(
    request: GenerationRequest,
    cache: Cache | None,
    key: str,
    last_record: dict[str, Any] | None,
    known: dict[str, str],
    progress: Progress,
) -> Outputs:
    from ..api import compile_files_with_warnings  # the heavy import, only when needed

    progress.stage("compiling")
    result = compile_files_with_warnings(
        request.entries,
        request.include_dirs,
        strict=request.strict,
        warnings_as_errors=request.warnings_as_errors,
        complete=True,  # generation refuses a class that uses an undeclared, non-external class
        external=request.external_classes,
        bundled=request.bundled,
    )
    warnings = list(result.warnings)
    rendered = render_targets(
        result.model,
        request.targets,
        source_label=request.source_label(),
        package=request.package,
        options=request.options,
        template_dirs=request.template_dirs,
        known=known,
        progress=progress,
        command=request.command,
        bytecode_dir=(cache or Cache()).template_folder(),
    )
    contents = {path: text.encode("utf-8") for path, text in rendered.texts.items()}
    digests = {path: sha256(data) for path, data in contents.items()}
    outputs = Outputs(
        digests,
        request.source_labels(),
        warnings,
        formatted=rendered.formatted,
        _contents=contents,
    )
    if cache is not None:
        inputs = [os.path.abspath(p) for p in result.paths]
        _record_run(cache, key, last_record, inputs, outputs, rendered.texts, rendered.keys)
    return outputs


# --------------------------------------------------------------------------- the run cache


def _code_fingerprint() -> str:
    """A hash of mofc's own code and grammar: a changed mofc never reuses old runs."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(_PACKAGE_DIR.rglob("*")):
        if (
            path.suffix in (".py", ".lark", ".j2", ".json", ".mof")
            and "__pycache__" not in path.parts
        ):
            digest.update(path.relative_to(_PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _run_key(request: GenerationRequest) -> str:
    described = {
        "code": _code_fingerprint(),
        "templates": template_fingerprint(request.template_dirs),
        "entries": [str(p.resolve()) for p in request.entries],
        "include_dirs": [str(p.resolve()) for p in request.include_dirs],
        "targets": list(request.targets),
        "options": {k: dict(v) for k, v in sorted(request.options.items())},
        "package": request.package,
        "strict": request.strict,
        "warnings_as_errors": request.warnings_as_errors,
        "label": request.source_label(),
        "command": request.command,
        "external_classes": list(request.external_classes),
        "bundled": request.bundled,
    }
    text = json.dumps(described, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _hash_file(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return sha256(handle.read())
    except OSError:
        return None


def _inputs_unchanged(record: dict[str, Any]) -> bool:
    inputs = record.get("inputs")
    if not isinstance(inputs, dict) or not inputs:
        return False
    return all(_hash_file(path) == digest for path, digest in inputs.items())


def _formatted_from_last_run(cache: Cache | None, record: dict[str, Any] | None) -> dict[str, str]:
    """{unformatted key: formatted text} from the last run of this configuration."""
    if cache is None or record is None:
        return {}
    pack = cache.get_pack(str(record.get("pack", "")))
    if pack is None:
        return {}
    texts, keys = pack.get("texts", {}), pack.get("keys", {})
    digests = record.get("outputs", {})
    known = {}
    for path, key in keys.items():
        text = texts.get(path)
        if isinstance(text, str) and digests.get(path) == sha256(text.encode("utf-8")):
            known[key] = text
    return known


def _record_run(
    cache: Cache,
    key: str,
    last_record: dict[str, Any] | None,
    input_files: Sequence[str],
    outputs: Outputs,
    texts: dict[str, str],
    keys: dict[str, str],
) -> None:
    inputs = {}
    for path in sorted(set(input_files)):
        digest = _hash_file(path)
        if digest is None:
            return  # an input vanished meanwhile: do not record a run that cannot be checked
        inputs[path] = digest
    pack_id = sha256(json.dumps([outputs.digests, keys], sort_keys=True).encode())
    cache.put_pack(pack_id, {"texts": texts, "keys": keys})
    record = {
        "inputs": inputs,
        "outputs": outputs.digests,
        "pack": pack_id,
        "sources": outputs.sources,
        "warnings": [_warning_record(w) for w in outputs.warnings],
    }
    cache.put_run(key, record)
    old_pack = last_record.get("pack") if last_record else None
    if isinstance(old_pack, str) and old_pack != pack_id:
        cache.forget_pack(old_pack)
    outputs._pack = (cache, pack_id)


def _warning_record(warning: Diagnostic) -> dict[str, Any]:
    span = warning.span
    return {
        "file": span.file,
        "line": span.line,
        "column": span.column,
        "message": warning.message,
        "severity": warning.severity,
        "source_line": warning.source_line,
        "code": warning.code,
    }


def _warning_from_record(record: dict[str, Any]) -> Diagnostic:
    span = Span(str(record["file"]), int(record["line"]), int(record["column"]))
    source_line = record.get("source_line")
    return Diagnostic(
        span,
        str(record["message"]),
        str(record.get("severity", "warning")),
        source_line if isinstance(source_line, str) else None,
        str(record.get("code", "")),
    )


def _load_pack_contents(outputs: Outputs) -> dict[str, bytes]:
    if outputs._pack is None:
        raise GenerationError("internal: outputs have neither contents nor a cache pack")
    cache, pack_id = outputs._pack
    pack = cache.get_pack(pack_id)
    texts = pack.get("texts", {}) if pack else {}
    contents = {}
    for path, digest in outputs.digests.items():
        text = texts.get(path)
        data = text.encode("utf-8") if isinstance(text, str) else b""
        if sha256(data) != digest:
            raise GenerationError(
                "the generation cache is damaged; run again with --no-cache", code="MOF405"
            )
        contents[path] = data
    return contents


# --------------------------------------------------------------------------- the folder


def check(
    request: GenerationRequest, progress: Progress | None = None
) -> tuple[TreeStatus, Outputs]:
    """Compare the output folder with what a build would write."""
    outputs = expected_outputs(request, progress)
    return compare(request.output, outputs.digests), outputs


def build(
    request: GenerationRequest, progress: Progress | None = None
) -> tuple[WriteReport, Outputs]:
    """Regenerate the output folder: write what changed, delete orphans."""
    ensure_owned(request.output)
    outputs = expected_outputs(request, progress)
    manifest = manifest_text(outputs.digests, outputs.sources, list(request.targets))
    if progress is not None:
        progress.stage("writing")
    return write_tree(request.output, outputs, manifest), outputs


@dataclass(frozen=True, slots=True)
class Rendered:
    """The final text of every output file, and for Python files the key of the unformatted
    text (for the cache); formatted: how many files black actually ran on."""

    texts: dict[str, str]
    keys: dict[str, str]
    formatted: int


def render_targets(
    model: Any,
    targets: Sequence[str],
    *,
    source_label: str,
    package: str,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    template_dirs: Sequence[Path] = (),
    known: dict[str, str] | None = None,
    progress: Progress | None = None,
    command: str = "mofc build",
    bytecode_dir: Path | None = None,
) -> Rendered:
    """Render targets for a compiled model and format the Python, in memory; nothing written.

    known: formatted texts by cache key from an earlier run (see formatting.format_all).
    bytecode_dir: where compiled templates are kept between runs (see TemplateSet).
    """
    from .canonical import canonical_model
    from .formatting import Formatting
    from .registry import get_target
    from .templates import TemplateSet

    progress = progress or Progress(enabled=False)
    known = known or {}
    model = canonical_model(model)  # output depends on the declarations, not on file order
    templates = TemplateSet(template_dirs, bytecode_dir)
    generated: dict[str, GeneratedFile] = {}
    # Black starts on a target's Python as soon as that target is rendered (in worker processes
    # for a large schema), while the next targets render here.
    formatting = Formatting(known, progress.step)
    # Rendering and black allocate millions of short-lived objects next to a large, cycle-free
    # model; cycle collection would rescan that model again and again for nothing.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for name in targets:
            progress.stage(f"rendering {name}")
            ctx = RenderContext(
                templates=templates,
                source_label=source_label,
                options=dict((options or {}).get(name, {})),
                package=package,
                command=command,
            )
            python = []
            for item in get_target(name).render(model, ctx):
                if item.path in generated:
                    raise TargetError(f"two outputs for {item.path}")
                generated[item.path] = item
                if item.path.endswith(".py") and not item.formatted:
                    python.append((item.path, item.text))
            formatting.add(sorted(python))
        progress.stage("formatting")
        formatted = formatting.result()
    except GenerationError:
        raise
    except Exception as exc:  # a template raised (``{{ 1 // 0 }}``): report it at its line
        failure = templates.failure(exc)
        if failure is None:
            raise
        raise failure from None
    finally:
        formatting.close()
        if gc_was_enabled:
            gc.enable()
    texts = {path: generated[path].text for path in sorted(generated)}
    keys: dict[str, str] = {}
    for path, (key, text) in formatted.items():
        keys[path], texts[path] = key, text
    fresh = sum(1 for key in keys.values() if key not in known)
    return Rendered(texts, keys, fresh)


def generate_files(
    model: Any,
    targets: Sequence[str],
    *,
    source_label: str,
    package: str,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    template_dirs: Sequence[Path] = (),
) -> dict[str, str]:
    """Render targets for an already compiled model, in memory: {relative path: final text}.

    For tests and library use; no cache, nothing written.
    """
    return render_targets(
        model,
        targets,
        source_label=source_label,
        package=package,
        options=options,
        template_dirs=template_dirs,
    ).texts
