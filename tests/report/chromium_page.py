"""Drive Debian's headless chromium from its command line: load a page, dump the DOM, take a screenshot.

Lighter than Playwright (no browser download, no driver): chromium prints the DOM after scripts ran
(`--dump-dom`, with a virtual-time budget for the chart promises) and console messages to stderr.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

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
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=15000",
]
CONSOLE_LINE = re.compile(r":CONSOLE[:(]\d*\)?\]? ?(.*)")


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class PageLoad:
    dom: str
    console: list[str]  # every console message the page produced (errors, warnings, logs)


def _run(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    command = [chromium_path() or "chromium", *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def load_page(html: Path, profile: Path) -> PageLoad:
    done = _run(["--dump-dom", html.resolve().as_uri()], profile)
    console = [m.group(1) for line in done.stderr.splitlines() if (m := CONSOLE_LINE.search(line))]
    return PageLoad(done.stdout, console)


def screenshot(html: Path, png: Path, profile: Path, height: int = 2600) -> Path:
    _run([f"--screenshot={png}", f"--window-size=1280,{height}", html.resolve().as_uri()], profile)
    return png


class _PlotScan(HTMLParser):
    """For each <div class="plot ..."> the id and whether Plotly drew an svg.main-svg inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.plots: dict[str, bool] = {}
        self._current: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if self._current is None:
            if tag == "div" and "plot" in classes:
                self._current, self._depth = values.get("id") or "?", 1
                self.plots[self._current] = False
            return
        if tag == "div":
            self._depth += 1
        if tag in ("svg", "canvas") and ("main-svg" in classes or tag == "canvas"):
            self.plots[self._current] = True

    def handle_endtag(self, tag: str) -> None:
        if self._current is not None and tag == "div":
            self._depth -= 1
            if self._depth == 0:
                self._current = None


def drawn_plots(dom: str) -> dict[str, bool]:
    scan = _PlotScan()
    scan.feed(dom)
    return scan.plots


def check_report_in_browser(index_html: Path, tmp_path: Path, label: str) -> Path:
    """Load a rendered report: every declared chart drew, no console message, a screenshot that is not
    blank. SPLITSCOPE_SCREENSHOT_DIR=dir keeps a copy of the screenshot."""
    page = load_page(index_html, tmp_path / "profile")
    assert page.dom, "chromium printed no DOM"
    assert page.console == [], f"console messages: {page.console}"
    assert 'data-js-errors="' not in page.dom
    declared = re.findall(r'<div class="plot" id="(chart-\d+)">', index_html.read_text(encoding="utf-8"))
    plots = drawn_plots(page.dom)
    assert declared and set(plots) == set(declared)
    assert [pid for pid, drawn in plots.items() if not drawn] == []
    assert f'data-charts-drawn="{len(declared)}"' in page.dom
    png = screenshot(index_html, tmp_path / f"{label}.png", tmp_path / "profile")
    assert png.exists() and png.stat().st_size > 20_000  # a blank page is a few kB
    keep = os.environ.get("SPLITSCOPE_SCREENSHOT_DIR")
    if keep:
        shutil.copy(png, Path(keep) / png.name)
    return png
