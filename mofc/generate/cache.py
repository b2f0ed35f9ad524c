"""The content-hashed generation cache (under the user's cache folder).

For each build configuration (mofc's code, templates, targets, options, entry files: see
``pipeline._run_key``) the cache keeps the record of the last run:

- the SHA-256 of every input file it read (entry files and includes),
- the SHA-256 and the owning target of every output file, and the id of a *pack*: one file
  holding the text of every Python module and the hash of its unformatted form. Other outputs
  are not packed (they are cheap to render and can be large); a pack id includes the run key,
  so a pack belongs to one configuration and rebuilding one never removes another's.

A rebuild whose inputs all hash the same needs nothing but those hashes (and the pack, only if
a Python module in the output folder must be mended). A rebuild after an edit looks up each
module's unformatted hash in the last pack, so black only runs on modules whose text changed.

The folder is ``$MOFC_CACHE_DIR``, else ``$XDG_CACHE_HOME/mofc``, else ``~/.cache/mofc``.
Writes are atomic; an unreadable or corrupt entry is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

_LAYOUT = "v3"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_CHUNK = 1 << 20


def utf8_chunks(text: str | Sequence[str]) -> Iterator[bytes]:
    """``text`` (or its parts, in order) encoded as UTF-8 a megabyte of characters at a time:
    a large output (an SQL script of the CIM schema is 27 MB) is never held twice, as text and
    as bytes."""
    for part in (text,) if isinstance(text, str) else text:
        for start in range(0, len(part), _CHUNK):
            yield part[start : start + _CHUNK].encode("utf-8")


def text_sha256(text: str | Sequence[str]) -> str:
    """The SHA-256 of ``text`` in UTF-8 (as :func:`sha256` of its bytes)."""
    digest = hashlib.sha256()
    for chunk in utf8_chunks(text):
        digest.update(chunk)
    return digest.hexdigest()


def default_cache_dir() -> Path:
    explicit = os.environ.get("MOFC_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "mofc"


class Cache:
    """Run records and packs; every method tolerates a missing or damaged folder."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = (folder or default_cache_dir()) / _LAYOUT

    def _read_json(self, kind: str, key: str) -> dict[str, Any] | None:
        try:
            data = (self.folder / kind / key).read_bytes()
            value = json.loads(data)
        except (OSError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def _write_json(self, kind: str, key: str, value: dict[str, Any]) -> None:
        folder = self.folder / kind
        try:
            folder.mkdir(parents=True, exist_ok=True)
            import tempfile  # only when writing (a warm build reads only)

            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(value, handle, sort_keys=True)  # ASCII: file names may hold surrogates
            os.replace(tmp, folder / key)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def template_folder(self) -> Path:
        """Where Jinja keeps compiled templates (used with ``--no-cache`` too: an entry is
        checked against its template's source, so it never changes the output)."""
        return self.folder / "templates"

    def get_run(self, key: str) -> dict[str, Any] | None:
        return self._read_json("run", key)

    def put_run(self, key: str, record: dict[str, Any]) -> None:
        self._write_json("run", key, record)

    def get_pack(self, pack_id: str) -> dict[str, Any] | None:
        """A pack; the caller checks each text against the hash its run recorded."""
        return self._read_json("pack", pack_id)

    def put_pack(self, pack_id: str, pack: dict[str, Any]) -> None:
        """Store a pack ({"texts": {path: text}, "keys": {path: key}}) under its id."""
        if not (self.folder / "pack" / pack_id).is_file():
            self._write_json("pack", pack_id, pack)

    def forget_pack(self, pack_id: str) -> None:
        """Remove a pack no run refers to any more (keeps the cache from growing)."""
        try:
            (self.folder / "pack" / pack_id).unlink()
        except OSError:
            pass
