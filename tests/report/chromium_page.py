"""Drive Debian's headless chromium over the DevTools protocol on a pipe (no driver, no extra package).

`--remote-debugging-pipe` makes chromium read JSON commands on fd 3 and write replies and events on
fd 4, each message ended by a NUL byte (what Puppeteer's `pipe: true` uses). That is enough to open a
page at a fixed window size, wait for what the page says it drew, read values out of the page, collect
every console message and exception, and screenshot one element at a time.
"""

from __future__ import annotations

import base64
import contextlib
import json
import math
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
]
WIDTH, HEIGHT = 1280, 900

# Installed before any page script runs: the first animation frame in which a Plotly chart holds drawn
# data (a trace group, a Sankey or a heatmap image), in ms since navigation start. A frame callback runs
# just before the browser paints, so this is when the chart became visible, whatever the page's own code
# does (the same probe measures the old report and the new one).
FIRST_CHART_PROBE = """
(function () {
  function check() {
    var drawn = document.querySelector(".plot .main-svg g.trace, .plot .main-svg g.sankey, .plot .hm");
    if (drawn) { window.__firstChartMs = performance.now(); return; }
    requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})();
"""


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class ProtocolError(RuntimeError):
    pass


@dataclass
class Browser:
    """One chromium process with one page (tab) attached in flat session mode."""

    process: subprocess.Popen
    writer: Any
    replies: dict[int, queue.Queue] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    session: str = ""
    next_id: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def send(
        self, method: str, params: dict | None = None, session: bool = True, timeout: float = 60
    ) -> dict:
        with self.lock:
            self.next_id += 1
            message_id = self.next_id
            self.replies[message_id] = queue.Queue(maxsize=1)
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        self.writer.write(json.dumps(message).encode() + b"\0")
        self.writer.flush()
        try:
            reply = self.replies[message_id].get(timeout=timeout)
        except queue.Empty as exc:
            raise ProtocolError(f"{method}: no reply within {timeout} s") from exc
        if "error" in reply:
            raise ProtocolError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def evaluate(self, expression: str, timeout: float = 60) -> Any:
        """The value of a JS expression (awaited when it is a promise); a thrown error fails the call."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            timeout=timeout,
        )
        if "exceptionDetails" in result:
            raise ProtocolError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30, interval: float = 0.05) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(interval)
        raise ProtocolError(f"timed out after {timeout} s waiting for {expression}")

    def console(self) -> list[str]:
        """Every console message, uncaught exception and browser log entry (CSP violations are logs)."""
        out = []
        for event in list(self.events):
            params = event.get("params", {})
            if event.get("method") == "Runtime.consoleAPICalled":
                out.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
            elif event.get("method") == "Runtime.exceptionThrown":
                out.append(json.dumps(params["exceptionDetails"])[:500])
            elif event.get("method") == "Log.entryAdded":
                out.append(f"{params['entry']['level']}: {params['entry']['text']}")
        return out

    def screenshot(self, clip: dict[str, float], png: Path) -> Path:
        """A PNG of a region given in page coordinates. The viewport is set to the region's height and
        scrolled to it (capturing beyond the viewport fails on pages taller than chromium's largest
        texture, 16,384 px, which a long report is), then put back."""
        height = math.ceil(clip["height"])
        self.set_viewport(WIDTH, max(height, 1))
        self.evaluate(f"window.scrollTo(0, {clip['y']})")
        self.wait_for("new Promise(function (r) { requestAnimationFrame(function () { r(true); }); })")
        params = {"format": "png", "clip": {**clip, "scale": 1}, "captureBeyondViewport": False}
        data = self.send("Page.captureScreenshot", params, timeout=120)["data"]
        self.set_viewport(WIDTH, HEIGHT)
        png.write_bytes(base64.b64decode(data))
        return png

    def set_viewport(self, width: int, height: int) -> None:
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
        self.send("Emulation.setDeviceMetricsOverride", metrics)

    def close(self) -> None:
        with contextlib.suppress(ProtocolError, OSError):
            self.send("Browser.close", session=False, timeout=10)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _read_messages(stream, browser: Browser) -> None:
    buffer = b""
    while chunk := stream.read1(1 << 16):
        buffer += chunk
        *messages, buffer = buffer.split(b"\0")
        for raw in messages:
            message = json.loads(raw)
            if "id" in message and message["id"] in browser.replies:
                browser.replies[message["id"]].put(message)
            else:
                browser.events.append(message)


def launch(profile: Path | None = None, width: int = WIDTH, height: int = HEIGHT) -> Browser:
    """Start chromium with a fresh profile and one blank page at width x height CSS pixels."""
    profile = profile or Path(tempfile.mkdtemp(prefix="splitscope-chromium-"))
    commands_read, commands_write = os.pipe()
    replies_read, replies_write = os.pipe()
    # bash puts the two pipe ends on fds 3 and 4 of chromium (the numbers the pipe mode reads and writes).
    script = f'exec "$0" "$@" 3<&{commands_read} 4>&{replies_write}'
    args = [chromium_path() or "chromium", *FLAGS, f"--user-data-dir={profile}", "about:blank"]
    process = subprocess.Popen(
        ["bash", "-c", script, *args],
        pass_fds=(commands_read, replies_write),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(commands_read)
    os.close(replies_write)
    browser = Browser(process, os.fdopen(commands_write, "wb"))
    reader = os.fdopen(replies_read, "rb")
    threading.Thread(target=_read_messages, args=(reader, browser), daemon=True).start()
    target = browser.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
    attached = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)
    browser.session = attached["sessionId"]
    for domain in ("Page", "Runtime", "Log"):
        browser.send(f"{domain}.enable")
    browser.set_viewport(width, height)
    browser.send("Page.addScriptToEvaluateOnNewDocument", {"source": FIRST_CHART_PROBE})
    return browser


def open_page(browser: Browser, html: Path, timeout: float = 60) -> float:
    """Navigate to the file and wait for its load event; returns the wall-clock seconds that took."""
    started = time.perf_counter()
    browser.send("Page.navigate", {"url": html.resolve().as_uri()})
    browser.wait_for("document.readyState === 'complete'", timeout=timeout, interval=0.02)
    return time.perf_counter() - started


def first_chart_ms(browser: Browser, timeout: float = 30) -> float:
    """Milliseconds from navigation start to the first frame showing a drawn chart (see the probe)."""
    return float(browser.wait_for("window.__firstChartMs", timeout=timeout, interval=0.02))


SECTION_BOXES = """
Array.from(document.querySelectorAll("main > section[id]")).map(function (s) {
  var r = s.getBoundingClientRect();
  return {id: s.id, x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height};
})
"""
# A long section is taken in slices of at most this height (each a viewport of that height).
MAX_SHOT_HEIGHT = 4000


def section_gallery(browser: Browser, folder: Path, timeout: float = 60) -> list[Path]:
    """One PNG per <main> section, after scrolling each of its charts into view and waiting until the
    page marked it drawn (charts are drawn on sight); a long section is taken in slices."""
    folder.mkdir(parents=True, exist_ok=True)
    shots = []
    for index, section in enumerate(browser.evaluate(SECTION_BOXES)):
        plots = browser.evaluate(f"{_plots_of(section['id'])}.map(function (p) {{ return p.id; }})")
        for plot in plots:
            element = f"document.getElementById({json.dumps(plot)})"
            browser.evaluate(f"{element}.scrollIntoView({{block: 'center'}})")
            browser.wait_for(f"{element}.hasAttribute('data-drawn')", timeout=timeout)
        box = browser.evaluate(f"({SECTION_BOXES})").__getitem__(index)  # boxes move as charts draw
        top, part = box["y"], 0
        while top < box["y"] + box["height"]:
            height = min(MAX_SHOT_HEIGHT, box["y"] + box["height"] - top)
            name = f"{index:02d}-{box['id']}" + (f"-{part}" if box["height"] > MAX_SHOT_HEIGHT else "")
            clip = {"x": box["x"], "y": top, "width": box["width"], "height": max(1, height)}
            shots.append(browser.screenshot(clip, folder / f"{name}.png"))
            top, part = top + height, part + 1
    return shots


def _plots_of(section_id: str) -> str:
    return f"Array.from(document.getElementById({json.dumps(section_id)}).querySelectorAll('div.plot'))"
