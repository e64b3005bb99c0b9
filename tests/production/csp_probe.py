"""Run by test_csp_browser.py in a process of its own (so it never meets another Playwright
in the test process): open each page in Chromium, hover across its chart, and print what the
page reported as JSON. Usage: python csp_probe.py CHROMIUM BASE_URL PATH..."""

from __future__ import annotations

import json
import sys

from playwright.sync_api import sync_playwright

WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(
  `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""
STATE = """() => ({
    violations: window.__violations,
    injected: document.querySelectorAll('style').length,
    styled: getComputedStyle(document.querySelector('.main-svg')).position,
})"""


def main(chromium: str, base: str, paths: list[str]) -> dict:
    results: dict = {"pages": {}, "errors": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(15_000)
            page = context.new_page()
            page.add_init_script(WATCH)
            page.on(
                "console", lambda m: results["errors"].append(m.text) if m.type == "error" else None
            )
            page.on("pageerror", lambda error: results["errors"].append(str(error)))
            for path in paths:
                response = page.goto(base + path)
                page.wait_for_selector(".js-plotly-plot .main-svg")
                plot = page.locator(".js-plotly-plot .nsewdrag").first
                plot.scroll_into_view_if_needed()
                box = plot.bounding_box()
                for step in range(1, 12):  # hover across the chart: hover labels are drawn too
                    for height in (0.3, 0.5, 0.7):
                        page.mouse.move(
                            box["x"] + box["width"] * step / 12, box["y"] + box["height"] * height
                        )
                state = page.evaluate(STATE)
                state["policy"] = response.headers.get("content-security-policy", "")
                results["pages"][path] = state
        finally:
            browser.close()
    return results


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], sys.argv[3:])))
