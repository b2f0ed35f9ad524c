"""A MOF file's bytes as text and back: encoding, byte order mark and line endings kept.

:func:`read_source` decodes a file the way the compiler does (:func:`mofc.parse.source.decode`)
and records how it was stored; :meth:`SourceFile.encode` writes new text the same way (UTF-16
stays UTF-16, a BOM stays, CRLF stays CRLF). :func:`write_atomic` replaces a file through a
temporary file in the same folder and keeps the file's permission bits.
"""

from __future__ import annotations

import codecs
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..parse.source import decode

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A decoded MOF file: ``text`` with ``\\n`` line ends, and how to store it again."""

    text: str
    encoding: str
    bom: bytes
    crlf: bool

    def encode(self, text: str) -> bytes:
        """``text`` (``\\n`` line ends) stored like the original file."""
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return self.bom + text.encode(self.encoding)


def read_source(data: bytes, name: str) -> SourceFile:
    """Decode MOF bytes (raise MofError like the compiler for bytes not valid in the encoding).

    Line endings are CRLF when most line ends of the file are; only then are they turned into
    ``\\n`` (a lone ``\\r`` or a CRLF in an LF file stays as written).
    """
    text = decode(data, name)
    bom = b""
    encoding = "utf-8"
    for mark, codec in _BOMS:
        if data.startswith(mark):
            bom, encoding = mark, codec
            break
    else:
        if len(data) >= 2 and data[0] and not data[1]:
            encoding = "utf-16-le"
        elif len(data) >= 2 and not data[0] and data[1]:
            encoding = "utf-16-be"
    crlf_count = text.count("\r\n")
    crlf = crlf_count > 0 and crlf_count * 2 >= text.count("\n")
    if crlf:
        text = text.replace("\r\n", "\n")
    return SourceFile(text, encoding, bom, crlf)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` through a temporary file and a rename (same folder), keeping
    the file's mode; the file is either the old or the new one, never half written."""
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
