"""The generation pipeline: MOF -> model -> targets -> black -> output folder.

Two steps, kept apart: :func:`render_targets` produces the final text of every file (rendering
and black, no file I/O) and hands each one on as soon as it is ready; :func:`build` takes the
folder's lock and writes each file straight into the staging folder of :mod:`.staging`, which
is switched in whole at the end, so no run holds all its outputs in memory. :func:`check`
only hashes what would be written and compares.

When the cache holds a run of the same configuration whose input files all still hash the
same, the hashes come from there without parsing anything (a warm run): a current folder is
left untouched, a damaged Python module is mended from the cached texts; anything else
compiles again (reusing cached black results).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import Diagnostic, Span
from .cache import Cache, sha256, text_sha256
from .errors import GenerationError
from .lock import OutputLock
from .outputs import OutputError, OutputFolder, TreeStatus, WriteReport
from .progress import Progress
from .staging import Layout, StagedTree, layout_for, recover
from .target import RenderContext, TargetError
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
    """What a run of the targets produces: the hash and owning target of every file.

    digests: {relative path: SHA-256 of the content}; owners: {relative path: target}. The
    contents themselves are never all held: a build writes each file into the staging folder
    as it is produced, a check only hashes it.
    formatted: how many Python files black had to format in this run.
    """

    digests: dict[str, str]
    owners: dict[str, str]
    sources: list[str]
    warnings: list[Diagnostic]
    from_cache: bool = False
    formatted: int = 0


# --------------------------------------------------------------------------- producing


def _warm_outputs(record: dict[str, Any] | None) -> Outputs | None:
    """The outputs recorded for this configuration, when no input file changed since."""
    if record is None or not _inputs_unchanged(record):
        return None
    try:
        digests = {str(p): str(d) for p, d in record["outputs"].items()}
        owners = {str(p): str(o) for p, o in record["owners"].items()}
        if set(owners) != set(digests):
            return None
        return Outputs(
            digests,
            owners,
            [str(s) for s in record["sources"]],
            [_warning_from_record(w) for w in record["warnings"]],
            from_cache=True,
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def expected_outputs(request: GenerationRequest, progress: Progress | None = None) -> Outputs:
    """The hash of every output file for ``request`` (from the cache when no input changed);
    nothing is written and no content is kept."""
    progress = progress or Progress(enabled=False)
    cache = Cache() if request.use_cache else None
    key = _run_key(request)
    record = cache.get_run(key) if cache is not None else None
    warm = _warm_outputs(record)
    if warm is not None:
        return warm
    known = _formatted_from_last_run(cache, record)
    return _generate(request, cache, key, record, known, progress, None)


def _generate(
    request: GenerationRequest,
    cache: Cache | None,
    key: str,
    last_record: dict[str, Any] | None,
    known: dict[str, str],
    progress: Progress,
    staged: StagedTree | None,
) -> Outputs:
    """Compile, render and format; stage every file in ``staged`` as it is ready (targets
    split between two processes, see :mod:`.shares`)."""
    from ..api import compile_files_with_warnings  # the heavy import, only when needed
    from .shares import SecondShare, split

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
    digests: dict[str, str] = {}
    owners: dict[str, str] = {}

    def emit(target: str, path: str, text: str | tuple[str, ...]) -> None:
        if staged is not None:
            digests[path] = staged.add_text(path, target, text)
        else:
            digests[path] = text_sha256(text)
        owners[path] = target

    def render(
        targets: Sequence[str],
        deliver: Callable[[str, str, str | tuple[str, ...]], None],
        progress: Progress | None = None,
        known: dict[str, str] | None = None,
    ) -> Rendered:
        return render_targets(
            result.model,
            targets,
            source_label=request.source_label(),
            package=request.package,
            options=request.options,
            template_dirs=request.template_dirs,
            known=known,
            progress=progress,
            command=request.command,
            bytecode_dir=(cache or Cache()).template_folder(),
            emit=deliver,
        )

    here, there = split(request.targets, len(result.model.classes))
    with SecondShare(render, there, staged) if there else nullcontext() as share:
        rendered = render(here, emit, progress, known)
        if share is not None:
            progress.stage(f"rendering {', '.join(there)}")
            for target, path, digest, _ in share.files():
                digests[path] = digest
                owners[path] = target
    outputs = Outputs(
        dict(sorted(digests.items())),
        owners,
        request.source_labels(),
        warnings,
        formatted=rendered.formatted,
    )
    if cache is not None:
        inputs = [os.path.abspath(p) for p in result.paths]
        _record_run(cache, key, last_record, inputs, outputs, rendered.python, rendered.keys)
    return outputs


# --------------------------------------------------------------------------- the run cache


def _code_fingerprint() -> str:
    """A hash of mofc's own code and grammar: a changed mofc never reuses old runs. (Every
    build computes it, a build answered by the cache too: plain ``os.walk``, no ``pathlib``.)"""
    digest = hashlib.sha256(__version__.encode())
    root = str(_PACKAGE_DIR)
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [d for d in subfolders if d != "__pycache__"]
        for name in files:
            if name.endswith(_CODE_SUFFIXES):
                found.append(os.path.relpath(os.path.join(folder, name), root))
    for rel in sorted(p.replace(os.sep, "/") for p in found):
        digest.update(rel.encode())
        with open(os.path.join(root, rel), "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()


_CODE_SUFFIXES = (".py", ".lark", ".j2", ".json", ".mof")


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
    python: dict[str, str],
    keys: dict[str, str],
) -> None:
    """Record the run: input and output hashes, and a pack of the Python texts (to reuse
    black's work after an edit, and to mend a damaged module without compiling). The pack id
    includes the run key: a pack belongs to one configuration."""
    inputs = {}
    for path in sorted(set(input_files)):
        digest = _hash_file(path)
        if digest is None:
            return  # an input vanished meanwhile: do not record a run that cannot be checked
        inputs[path] = digest
    pack_id = sha256(json.dumps([key, outputs.digests, keys], sort_keys=True).encode())
    cache.put_pack(pack_id, {"texts": python, "keys": keys})
    record = {
        "inputs": inputs,
        "outputs": outputs.digests,
        "owners": outputs.owners,
        "pack": pack_id,
        "sources": outputs.sources,
        "warnings": [_warning_record(w) for w in outputs.warnings],
    }
    cache.put_run(key, record)
    old_pack = last_record.get("pack") if last_record else None
    if isinstance(old_pack, str) and old_pack != pack_id:
        cache.forget_pack(old_pack)


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


def _pack_contents(
    cache: Cache, record: dict[str, Any], outputs: Outputs, paths: Sequence[str]
) -> dict[str, bytes] | None:
    """The bytes of ``paths`` from the run's pack, each checked against its hash; None when
    the pack lacks one (only Python texts are packed) or is damaged: then the run compiles."""
    pack = cache.get_pack(str(record.get("pack", "")))
    texts = pack.get("texts") if pack else None
    if not isinstance(texts, dict):
        return None
    contents = {}
    for path in paths:
        text = texts.get(path)
        if not isinstance(text, str):
            return None
        data = text.encode("utf-8")
        if sha256(data) != outputs.digests[path]:
            return None
        contents[path] = data
    return contents


# --------------------------------------------------------------------------- the folder


def _lock(
    layout: Layout,
    request: GenerationRequest,
    wait: bool,
    on_wait: Callable[[str], None] | None,
    required: bool = True,
) -> OutputLock:
    return OutputLock(layout.lock, request.output, wait=wait, on_wait=on_wait, required=required)


def check(
    request: GenerationRequest,
    progress: Progress | None = None,
    *,
    wait: bool = True,
    on_wait: Callable[[str], None] | None = None,
) -> tuple[TreeStatus, Outputs]:
    """Compare the output folder with what a build would write (files of ``request.targets``
    only; other targets' files are not this run's business). Writes nothing there."""
    outputs = expected_outputs(request, progress)
    layout = layout_for(request.output)
    with _lock(layout, request, wait, on_wait, required=False):
        folder = OutputFolder(layout.output)
        status = folder.status(outputs.digests, outputs.owners, outputs.sources, request.targets)
    return status, outputs


def build(
    request: GenerationRequest,
    progress: Progress | None = None,
    *,
    wait: bool = True,
    on_wait: Callable[[str], None] | None = None,
) -> tuple[WriteReport, Outputs]:
    """Regenerate the output folder, all or nothing.

    Under the folder's lock: finish or remove what an interrupted build left, stage the new
    tree (files of ``request.targets`` as they are produced, other targets' files as they
    were, the manifest) and switch it in (:mod:`.staging`). Any failure before the switch
    leaves the folder as it was and says so; nothing is touched when it is already current.
    """
    progress = progress or Progress(enabled=False)
    layout = layout_for(request.output)
    with _lock(layout, request, wait, on_wait):
        try:
            notes = tuple(recover(layout))
        except OSError as exc:
            raise OutputError(
                f"cannot clean up after an interrupted build next to {request.output}: "
                f"{exc.strerror or exc}"
            ) from None
        try:
            return _build_locked(request, layout, progress, notes)
        except GenerationError as exc:
            if exc.outcome is None:
                exc.outcome = f"{request.output} was left unchanged"
            raise


def _build_locked(
    request: GenerationRequest, layout: Layout, progress: Progress, notes: tuple[str, ...]
) -> tuple[WriteReport, Outputs]:
    folder = OutputFolder(layout.output)
    folder.ensure_owned()
    cache = Cache() if request.use_cache else None
    key = _run_key(request)
    record = cache.get_run(key) if cache is not None else None
    warm = _warm_outputs(record)
    if warm is not None and cache is not None and record is not None:
        status = folder.status(warm.digests, warm.owners, warm.sources, request.targets)
        if status.current:
            return WriteReport(unchanged=status.unchanged, status=status, notes=notes), warm
        needed = [p for p in sorted(warm.digests) if folder.digest(p) != warm.digests[p]]
        contents = _pack_contents(cache, record, warm, needed)
        if contents is not None:
            progress.stage("writing")
            staged = StagedTree(folder, layout, request.targets)
            try:
                for path in sorted(warm.digests):
                    owner = warm.owners[path]
                    if path in contents:
                        staged.add(path, owner, contents[path])
                    elif not staged.add_unchanged(path, owner, warm.digests[path]):
                        raise OutputError(f"{path} changed while mofc was reading it")
            except BaseException:
                staged.abort()
                raise
            return staged.commit(warm.sources, notes), warm
    staged = StagedTree(folder, layout, request.targets)
    try:
        outputs = _generate(
            request,
            cache,
            key,
            record,
            _formatted_from_last_run(cache, record),
            progress,
            staged,
        )
    except BaseException:
        staged.abort()
        raise
    progress.stage("writing")
    return staged.commit(outputs.sources, notes), outputs


@dataclass(frozen=True, slots=True)
class Rendered:
    """What rendering produced besides the files it emitted.

    texts: every final text by path, when no ``emit`` was given (else empty); python: the
    final text of every Python module (kept for black anyway; the cache packs them); keys:
    for black-formatted modules, the key of the unformatted text; formatted: how many
    modules black actually ran on.
    """

    texts: dict[str, str]
    python: dict[str, str]
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
    emit: Callable[[str, str, str | tuple[str, ...]], None] | None = None,
) -> Rendered:
    """Render targets for a compiled model and format the Python; this step writes nothing.

    emit(target, path, text) receives each final text as soon as it is ready: files that need
    no formatting as they are rendered, Python modules after black. Without ``emit`` the
    texts are collected in ``Rendered.texts``. known: formatted texts by cache key from an
    earlier run (see formatting.format_all). bytecode_dir: where compiled templates are kept
    between runs (see TemplateSet).
    """
    from .canonical import canonical_model
    from .formatting import Formatting
    from .registry import get_target
    from .templates import TemplateSet

    progress = progress or Progress(enabled=False)
    known = known or {}
    model = canonical_model(model)  # output depends on the declarations, not on file order
    collected: dict[str, str] = {}
    deliver = emit or (
        lambda target, path, text: collected.__setitem__(
            path, text if isinstance(text, str) else "".join(text)
        )
    )
    templates = TemplateSet(template_dirs, bytecode_dir)
    seen: set[str] = set()
    owner_of: dict[str, str] = {}  # the target of each module that goes through black
    python: dict[str, str] = {}
    # Black starts on a target's Python as soon as that target is rendered (in worker processes
    # for a large schema), while the next targets render here.
    formatting = Formatting(known, progress.step, trust_layout=not template_dirs)
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
            batch = []
            for item in get_target(name).render(model, ctx):
                if item.path in seen:
                    raise TargetError(f"two outputs for {item.path}")
                seen.add(item.path)
                if item.path.endswith(".py"):
                    if not isinstance(item.text, str):
                        raise TargetError(f"{item.path}: a Python module must be one text")
                    if not item.formatted:
                        owner_of[item.path] = name
                        batch.append((item.path, item.text))
                        continue
                    python[item.path] = item.text
                deliver(name, item.path, item.text)
                del item  # a large text is freed now, not when the next file is rendered
            formatting.add(sorted(batch))
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
    keys: dict[str, str] = {}
    for path, (key, text) in sorted(formatted.items()):
        keys[path] = key
        python[path] = text
        deliver(owner_of[path], path, text)
    fresh = sum(1 for key in keys.values() if key not in known)
    return Rendered(dict(sorted(collected.items())), python, keys, fresh)


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
