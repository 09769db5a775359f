"""Screenshots of every page for the README, and the helpers the browser tests share.

    .venv/bin/python -m tests.browser_screenshots [--out docs/screenshots]

Starts ``streamlit run app.py`` on a free loopback port over a temporary data folder
that holds the shipped guide and examples, drives Debian's Chromium through Playwright
and writes one PNG per page. Nothing touches ``.lotse``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.servers import free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING_CHROMIUM = (
    f"{CHROMIUM} fehlt: die Browser-Tests brauchen Debians Chromium. Installieren mit "
    "`make chromium` (apt-get install chromium)."
)
VIEWPORT = {"width": 1400, "height": 1000}
SAMPLE_QUESTION = "Dürfen wir Kundendaten in einen Cloud-Chatbot geben?"


def screenshot_pages() -> dict[str, str]:
    """URL path -> screenshot name, for every page the app registers (start page first)."""
    from ui.navigation import available_pages

    return {"" if spec.default else spec.url_path: spec.url_path for spec in available_pages()}


@dataclass
class AppServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    started_at: float
    ready_after_s: float


@contextmanager
def app_server(
    data_dir: Path, log: Path, lang: str = "de", timeout_s: float = 90.0
) -> Iterator[AppServer]:
    """``streamlit run app.py`` on loopback; stopped (by its own pid) on exit."""
    port = free_port()
    env = {
        **os.environ,
        "LOTSE_DATA_DIR": str(data_dir),
        "LOTSE_UI_LANGUAGE": lang,
        "LOTSE_LLM_PROVIDER": "none",
    }
    cmd = [
        str(Path(sys.executable).parent / "streamlit"),
        "run",
        "app.py",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    started = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(process, f"{url}/_stcore/health", log, timeout_s, "streamlit")
        yield AppServer(url, process, log, started, time.perf_counter() - started)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium through Playwright (Playwright's own download is unused)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise FileNotFoundError(MISSING_CHROMIUM)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_for_app(page: Any, timeout_ms: float = 60_000) -> None:
    """Wait until the script run is over: a title is there and the app is not running."""
    page.wait_for_selector("h1", timeout=timeout_ms)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms
    )


def full_height(page: Any, limit: int = 2400) -> None:
    """Grow the viewport to the page's content: Streamlit scrolls inside its main area,
    so a full-page screenshot alone would stop at the window's height."""
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? m.scrollHeight : document.body.scrollHeight; }"
    )
    height = max(int(height) + 40, VIEWPORT["height"])
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(height, limit)})
    page.wait_for_timeout(500)


def preload_shipped_knowledge(data_dir: Path) -> None:
    """Fill the 'default' workspace with the shipped guide, so pages show real content."""
    from core.factory import build_services
    from core.settings import Settings
    from kb.library import load_shipped_knowledge

    settings = Settings(_env_file=None, data_dir=data_dir)  # type: ignore[call-arg]
    services = build_services(settings)
    report = load_shipped_knowledge(services.workspaces.open("default", create=True), settings)
    if report.failed:
        raise RuntimeError(f"shipped knowledge failed: {report.failed}")


def take_screenshots(out: Path, lang: str = "de") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="lotse-shots-") as tmp:
        data_dir = Path(tmp) / "data"
        preload_shipped_knowledge(data_dir)
        with (
            app_server(data_dir, Path(tmp) / "streamlit.log", lang) as server,
            chromium() as browser,
        ):
            page = browser.new_page(viewport=VIEWPORT)
            # the start page first: see the note on first runs in ui/navigation.py
            for path, name in screenshot_pages().items():
                page.goto(f"{server.url}/{path}")
                wait_for_app(page)
                if path == "wissensbasis":
                    page.get_by_role("tab", name="Dokumente").click()
                    wait_for_app(page)
                if path == "fragen":  # a conversation says more than an empty chat
                    box = page.get_by_role("textbox").last
                    box.fill(SAMPLE_QUESTION)
                    box.press("Enter")
                    page.wait_for_function(
                        "() => { const m = document.querySelectorAll("
                        "'[data-testid=\"stChatMessage\"]');"
                        " return m.length > 1 && m[1].innerText.length > 80; }",
                        timeout=120_000,
                    )
                    wait_for_app(page, 120_000)
                if path == "zeitplan":
                    page.wait_for_selector(".vega-embed", timeout=60_000)
                page.wait_for_timeout(800)
                target = out / f"{name}.png"
                full_height(page)
                page.screenshot(path=str(target))
                page.set_viewport_size(VIEWPORT)
                written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", choices=["de", "en"], default="de")
    args = parser.parse_args()
    if shutil.which(str(CHROMIUM)) is None:
        sys.exit(MISSING_CHROMIUM)
    for path in take_screenshots(args.out, args.lang):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
