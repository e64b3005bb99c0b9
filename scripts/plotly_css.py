"""Write plotly.js's own CSS to static/css/plotly.css, so the charts need no inline styles.

plotly.js adds its CSS rules (modebar, hover labels, notifier...) to a <style> element it creates
on first draw, which a Content Security Policy without 'unsafe-inline' for styles refuses. It
skips that when the page already has an element with the id ``plotly.js-style-global`` and the
class ``no-inline-styles``: the chart pages link this file with that id and class.

The rules are read out of the bundle itself, so they match the version served. Run it again after
upgrading plotly.js (``tests/production/test_csp.py`` fails until you do):

    .venv/bin/python scripts/plotly_css.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "static" / "vendor" / "plotly" / "plotly-basic.min.js"
OUTPUT = ROOT / "static" / "css" / "plotly.css"
FIRST_KEY = '"X,X div":'
# plotly.js writes "X" for its plot container and "Y" for its notifier in the rules' selectors.
PLOT, NOTIFIER = ".js-plotly-plot .plotly", ".plotly-notifier"


def _string(text: str, start: int) -> tuple[str, int]:
    """The JavaScript string literal starting at ``start``, and the index after it."""
    quote = text[start]
    out = []
    index = start + 1
    while text[index] != quote:
        if text[index] == "\\":
            index += 1
        out.append(text[index])
        index += 1
    return "".join(out), index + 1


def rules(bundle: str) -> list[tuple[str, str]]:
    """(selector, declarations) in the order plotly.js's source lists them."""
    start = bundle.find(FIRST_KEY)
    if start < 0:
        raise ValueError("plotly.js's CSS rules were not found in the bundle")
    found = []
    index = start
    while bundle[index] != "}":
        if bundle[index] in "\"'":
            key, index = _string(bundle, index)
        else:  # a bare identifier, as the minifier writes Y:
            end = bundle.index(":", index)
            key, index = bundle[index:end], end
        if bundle[index] != ":":
            raise ValueError(f"unexpected {bundle[index]!r} after {key!r}")
        value, index = _string(bundle, index + 1)
        selector = key.replace(",", " ,", 1) if key.startswith(",") else key
        found.append((selector.replace("X", PLOT).replace("Y", NOTIFIER), value))
        if bundle[index] == ",":
            index += 1
    return found


def stylesheet(bundle: str) -> str:
    """The rules as CSS. plotly.js inserts each rule at the top of its sheet, so the last rule
    it lists comes first; the file keeps that order so the cascade is the same."""
    lines = [
        "/* plotly.js's own styles, read out of static/vendor/plotly/plotly-basic.min.js by",
        "   scripts/plotly_css.py: served as a file so the pages need no inline styles. */",
    ]
    lines += [f"{selector}{{{declarations}}}" for selector, declarations in reversed(rules(bundle))]
    return "\n".join(lines) + "\n"


def main() -> int:
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(stylesheet(BUNDLE.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
