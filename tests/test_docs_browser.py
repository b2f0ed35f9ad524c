"""The HTML reference in a real browser: headless Chromium opens the page of SMS_ImagePackage.

Chromium is Debian's package (/usr/bin/chromium, ``apt-get install -y chromium``); nothing is
downloaded. The test drives it over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
JSON messages ending in NUL on file descriptors 3 and 4), with page scripts disabled, so the page
must render without JavaScript. It checks the syntax block and the property list are laid out
and visible and that the style sheet applied, takes a screenshot and checks the PNG itself
(decoded here, with zlib): its size, that it is far from uniform, and that the syntax block's
area shows the code background with text on it.

Set MOFC_SCREENSHOT_DIR to keep the screenshot (it is written to the test's tmp folder anyway).
Without Chromium the test is skipped, except under CI (``CI`` set), where it fails.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import struct
import subprocess
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

import pytest

import mofc
from mofc.config import load_config
from mofc.generate.pipeline import generate_files

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
WIDTH, HEIGHT = 1280, 2400
CODE_BACKGROUND = (243, 244, 246)  # --code-bg in style.css
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
)


class DevTools:
    """A Chromium process driven over ``--remote-debugging-pipe``."""

    def __init__(self, user_data_dir: Path, log: Path, timeout: float = 60.0) -> None:
        to_child_read, self._to_child = os.pipe()
        self._from_child, from_child_write = os.pipe()

        def wire_pipes() -> None:  # in the child: the pipes become fds 3 (commands) and 4
            low = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child_read, from_child_write)]
            os.dup2(low[0], 3)
            os.dup2(low[1], 4)

        with open(log, "wb") as stderr:
            self.process = subprocess.Popen(
                [str(CHROMIUM), *FLAGS, f"--user-data-dir={user_data_dir}",
                 "--remote-debugging-pipe", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                close_fds=False,
                preexec_fn=wire_pipes,  # noqa: PLW1509 (the test starts no threads)
            )  # fmt: skip
        os.close(to_child_read)
        os.close(from_child_write)
        self.log = log
        self.timeout = timeout
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]  # type: ignore[no-any-return]
            self._events.append(reply)

    def wait_for(self, event: str, session: str) -> dict[str, Any]:
        while True:
            for i, seen in enumerate(self._events):
                if seen.get("method") == event and seen.get("sessionId") == session:
                    return self._events.pop(i)
            self._events.append(self._read())

    def _read(self) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_child], [], [], max(left, 0))
            if not ready:
                raise TimeoutError(f"no answer from Chromium; its log: {self._log_tail()}")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise RuntimeError(f"Chromium closed the pipe; its log: {self._log_tail()}")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)  # type: ignore[no-any-return]

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:]

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()  # only the process this test started
            self.process.wait()
        os.close(self._to_child)
        os.close(self._from_child)


# --------------------------------------------------------------------------- PNG


def decode_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """(width, height, bytes per pixel, rows) of an 8-bit RGB or RGBA PNG, not interlaced."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        assert (
            zlib.crc32(kind + body)
            == struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])[0]
        )
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    assert header is not None
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, header
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    assert len(raw) == height * (stride + 1)
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = previous[i], (previous[i - bpp] if i >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        else:
            assert kind == 0, f"bad filter {kind}"
        rows.append(bytes(line))
        previous = line
    return width, height, bpp, rows


def pixels(
    rows: list[bytes], bpp: int, box: dict[str, float], step: int = 2
) -> list[tuple[int, ...]]:
    """The RGB pixels inside a CSS box (one in ``step`` along each axis)."""
    top, bottom = max(0, int(box["top"])), min(len(rows), int(box["bottom"]))
    left, right = max(0, int(box["left"])), int(box["right"])
    found = []
    for y in range(top, bottom, step):
        row = rows[y]
        for x in range(left, min(right, len(row) // bpp), step):
            found.append(tuple(row[x * bpp : x * bpp + 3]))
    return found


# --------------------------------------------------------------------------- the test

_PROBE = """JSON.stringify((() => {
  const box = (selector) => {
    const element = document.querySelector(selector);
    if (!element) return null;
    const rect = element.getBoundingClientRect(), style = getComputedStyle(element);
    return {top: rect.top, bottom: rect.bottom, left: rect.left, right: rect.right,
            display: style.display, visibility: style.visibility,
            background: style.backgroundColor, text: element.innerText};
  };
  return {
    syntax: box('#syntax-block'),
    properties: box('#property-list'),
    first: box('#property-ActionInProgress'),
    heading: box('h1'),
    sheets: document.styleSheets.length,
    font: getComputedStyle(document.body).fontFamily,
    scripts: document.scripts.length,
    viewport: [innerWidth, innerHeight],
  };
})())"""


def _chromium_or_skip() -> None:
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    message = f"{CHROMIUM} is missing (apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def test_sms_image_package_page_renders_in_chromium(tmp_path: Path) -> None:
    _chromium_or_skip()
    model = mofc.compile_files(list(load_config(REPO).schemas))
    files = generate_files(model, ["docs"], source_label="schemas/sms.mof", package="sms")
    site = tmp_path / "site"
    for path, text in files.items():
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    page = site / "docs" / "html" / "SMS_ImagePackage.html"

    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-", dir=tmp_path))
    browser = DevTools(profile, tmp_path / "chromium.log")
    try:
        target = browser.call("Target.createTarget", url="about:blank")["targetId"]
        session = browser.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        browser.call("Page.enable", session)
        browser.call("Emulation.setScriptExecutionDisabled", session, value=True)
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )
        browser.call("Page.navigate", session, url=page.as_uri())
        browser.wait_for("Page.loadEventFired", session)
        answer = browser.call("Runtime.evaluate", session, expression=_PROBE, returnByValue=True)
        assert "exceptionDetails" not in answer, answer
        probe = json.loads(answer["result"]["value"])
        shot = base64.b64decode(
            browser.call("Page.captureScreenshot", session, format="png")["data"]
        )
    finally:
        browser.close()

    png = tmp_path / "SMS_ImagePackage.png"
    png.write_bytes(shot)
    if os.environ.get("MOFC_SCREENSHOT_DIR"):
        keep = Path(os.environ["MOFC_SCREENSHOT_DIR"])
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copy(png, keep / png.name)

    # The layout: the syntax block and the first property entry are on the first screen.
    assert probe["viewport"] == [WIDTH, HEIGHT]
    assert probe["scripts"] == 0 and probe["sheets"] == 1
    assert "Segoe UI" in probe["font"]  # the style sheet applied
    syntax, first = probe["syntax"], probe["first"]
    for box in (syntax, probe["properties"], first, probe["heading"]):
        assert box is not None and box["display"] != "none" and box["visibility"] == "visible"
        assert box["right"] - box["left"] > 300 and box["bottom"] > box["top"]
    assert 0 <= syntax["top"] < syntax["bottom"] <= HEIGHT
    assert 0 <= first["top"] < first["bottom"] <= HEIGHT
    assert syntax["background"] == "rgb({}, {}, {})".format(*CODE_BACKGROUND)
    lines = syntax["text"].splitlines()
    assert lines[0] == "Class SMS_ImagePackage : SMS_PackageBaseclass" and len(lines) == 43
    assert "UInt32" in first["text"] and "Read-only" in first["text"]
    assert 'ResIDValueLookup("ActionInProgress")' in first["text"]

    # The screenshot itself.
    assert len(shot) > 50_000
    width, height, bpp, rows = decode_png(shot)
    assert (width, height) == (WIDTH, HEIGHT)
    sample = pixels(rows, bpp, {"top": 0, "bottom": height, "left": 0, "right": width}, step=4)
    colours = {}
    for pixel in sample:
        colours[pixel] = colours.get(pixel, 0) + 1
    assert len(colours) > 50, "the screenshot is nearly uniform"
    assert max(colours.values()) / len(sample) < 0.97
    inside = pixels(rows, bpp, syntax)
    background = sum(1 for p in inside if p == CODE_BACKGROUND) / len(inside)
    ink = sum(1 for p in inside if sum(p) < 3 * 140) / len(inside)
    assert background > 0.5, "the syntax block's background is not on the screenshot"
    assert ink > 0.01, "no text in the syntax block on the screenshot"
    entry = pixels(rows, bpp, first)
    assert sum(1 for p in entry if sum(p) < 3 * 140) / len(entry) > 0.005
