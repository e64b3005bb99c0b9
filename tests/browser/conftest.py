"""Browser tests: Playwright for Python driving Debian's Chromium against ``live_server``.

Every journey runs in a fresh browser context. The ``tab`` fixture collects console errors and
uncaught page errors, runs axe-core (read from node_modules and evaluated in the page) on demand
and saves a screenshot of the journey's end state under ``artefacts/screenshots/``.

Without a Chromium the tests skip, loudly; ``.ci/run`` and ``make test`` (as root) install one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls from a
# thread with a running loop (SynchronousOnlyOperation). The tests' own ORM calls are plain
# synchronous code, so the check is switched off: Django's documented escape hatch.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artefacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000
VIEWPORT = {"width": 1280, "height": 900}
QUIET = """() => new Promise((resolve) => {
    const busy = () => document.readyState !== "complete"
        || document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling");
    let quietSince = null;
    const tick = () => {
        if (busy()) quietSince = null;
        else if (quietSince === null) quietSince = performance.now();
        if (quietSince !== null && performance.now() - quietSince > 60) resolve(true);
        else setTimeout(tick, 10);
    };
    tick();
})"""


def find_chromium() -> str | None:
    """$CHROMIUM, else Debian's /usr/bin/chromium, else a chromium on the PATH."""
    candidates = [
        os.environ.get("CHROMIUM", ""),
        "/usr/bin/chromium",
        shutil.which("chromium") or "",
        shutil.which("chromium-browser") or "",
    ]
    return next((path for path in candidates if path and os.access(path, os.X_OK)), None)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        message = (
            "BROWSER TESTS SKIPPED: no Chromium at /usr/bin/chromium (or on the PATH, or in "
            "$CHROMIUM). Install Debian's: `apt-get update && apt-get install -y chromium` as "
            "root (`make test` does this itself when run as root; .ci/run always does)."
        )
        if os.environ.get("TRAJECTORY_REQUIRE_BROWSER"):
            pytest.fail(message + " TRAJECTORY_REQUIRE_BROWSER is set: CI must run them.")
        pytest.skip(message)
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `bash scripts/build_frontend.sh` (npm ci)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@dataclass
class Tab:
    """One browser context and its page, with what the journey checks along the way."""

    page: Any
    browser: Any
    base_url: str
    name: str
    javascript: bool = True
    mirror: Any = None
    console_errors: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> Any:
        return self.page.goto(self.url(path))

    def location(self) -> str:
        """The address bar as the page sees it (``page.url`` misses htmx's pushState here)."""
        return str(self.page.evaluate("() => location.href"))

    def wait_for_location(self, pattern: str) -> None:
        """Wait until the address matches the regular expression ``pattern``."""
        self.page.wait_for_function("(p) => new RegExp(p).test(location.href)", arg=pattern)

    def settle(self) -> None:
        """Wait until the page has loaded and htmx has been quiet for a moment: no request in
        flight, nothing swapping or settling (a settled swap may ask for another check)."""
        self.page.wait_for_load_state("load")
        if self.javascript:
            self.page.evaluate(QUIET)

    def axe(self, state: str) -> None:
        """No WCAG 2.2 A or AA violation on the page as it is now."""
        self.settle()
        page = self.page if self.javascript else self._mirror()
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated, not added as a <script>: the Content Security Policy allows no inline
            # script, and the tests must not switch it off.
            page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
        result = page.evaluate(
            """async (tags) => {
                const results = await window.axe.run(document, {
                    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
                return results.violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map((n) => ({target: n.target, html: n.html.slice(0, 200),
                                                summary: n.failureSummary}))}));
            }""",
            WCAG_TAGS,
        )
        self.checked.append(f"{self.page.url} [{state}]")
        assert not result, f"axe: WCAG A/AA violations on {self.page.url} ({state}):\n" + (
            json.dumps(result, indent=1)
        )
        # WCAG 2.2 dropped 4.1.1 (parsing), so axe no longer reports duplicate ids; a label or
        # aria-describedby pointing at a duplicated id still points at the wrong thing.
        duplicates = page.evaluate(
            """() => { const seen = new Set(), twice = new Set();
                for (const e of document.querySelectorAll("[id]"))
                    (seen.has(e.id) ? twice : seen).add(e.id);
                return [...twice]; }"""
        )
        assert not duplicates, f"Duplicate ids on {self.page.url} ({state}): {duplicates}"

    def _mirror(self) -> Any:
        """axe needs timers, which do not run with JavaScript off. So the page as it is now (its
        HTML without scripts, at its own address, so with the same styles) is opened in a page
        of its own with JavaScript on, and checked there."""
        if self.mirror is None:
            context = self.browser.new_context(viewport=VIEWPORT, locale="en-GB")
            context.set_default_timeout(TIMEOUT_MS)
            self.mirror = context.new_page()
        url = self.page.url
        html = re.sub(r"<script\b.*?</script>", "", self.page.content(), flags=re.S | re.I)

        def same_address(address: str) -> bool:
            return address == url

        def serve(route: Any) -> None:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

        self.mirror.route(same_address, serve)
        self.mirror.goto(url)
        self.mirror.unroute(same_address, serve)
        return self.mirror

    def close(self) -> None:
        if self.mirror is not None:
            self.mirror.context.close()
        self.page.context.close()

    def tab_to(self, selector: str, *, backwards: bool = False, most: int = 300) -> None:
        """Press Tab (or Shift+Tab) until the element matching ``selector`` has the focus."""
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(most):
            if self.page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
            self.page.keyboard.press(key)
        raise AssertionError(f"{selector} was not reached with {key} in {most} presses")

    def assert_no_console_errors(self) -> None:
        assert not self.console_errors, "Browser console errors:\n" + "\n".join(self.console_errors)

    def screenshot(self) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def finish(self) -> None:
        """The journey's end: evidence saved, and nothing went wrong in the console."""
        self.screenshot()
        self.assert_no_console_errors()


def _open_tab(browser: Any, base_url: str, name: str, *, javascript: bool) -> Tab:
    context = browser.new_context(
        java_script_enabled=javascript,
        viewport=VIEWPORT,
        accept_downloads=True,
        locale="en-GB",
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page=page, browser=browser, base_url=base_url, name=name, javascript=javascript)

    def on_console(message: Any) -> None:
        if message.type == "error":
            tab.console_errors.append(f"console: {message.text} ({message.location})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: tab.console_errors.append(f"page error: {error}"))
    return tab


def _screenshot_name(request: pytest.FixtureRequest) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")


@pytest.fixture
def tab(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Tab]:
    """A fresh context with JavaScript on."""
    tab = _open_tab(browser, live_server.url, _screenshot_name(request), javascript=True)
    yield tab
    tab.close()


@pytest.fixture
def no_js_tab(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Tab]:
    """A fresh context with JavaScript off: the journeys must still work."""
    tab = _open_tab(browser, live_server.url, _screenshot_name(request), javascript=False)
    yield tab
    tab.close()


@pytest.fixture(autouse=True)
def catalogue(transactional_db: Any) -> None:
    """A transactional test's database is flushed after it, taking the indicator catalogue (a
    data migration) with it: load it again for each browser test."""
    from indicators.catalogue import sync_catalogue
    from indicators.models import Indicator

    sync_catalogue(Indicator)


@pytest.fixture
def demo(catalogue: None) -> Any:
    """The simulated demo data, small: 11 authorities (each needs ten neighbours), two years."""
    from indicators.demo.load import load_demo

    return load_demo(authorities=11, months=24)


def assert_chart_has_text_alternative(page: Any, name: str, table: str) -> None:
    """A drawn chart is an image with a text alternative, a visible caption saying the same, and
    a data table beside it."""
    chart = page.locator(f"#{name}-chart")
    assert chart.get_attribute("role") == "img"
    label = chart.get_attribute("aria-label") or ""
    assert len(label) > 20, f"#{name}-chart has no useful text alternative: {label!r}"
    caption = page.locator(f"#{name}-alt")
    assert caption.is_visible() and caption.inner_text().strip() == label.strip()
    assert chart.locator("figure, [tabindex], a[href], button, input").count() == 0
    rows = page.locator(table).locator("tbody tr")
    assert rows.count() > 0, f"#{name}-chart has no data table at {table}"
