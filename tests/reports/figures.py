"""The figure a page draws, read from the page as the browser's charts.js reads it."""

from __future__ import annotations

import json
from typing import Any


def drawn_figure(response: Any, name: str) -> dict[str, Any]:
    """The JSON in ``<script id="NAME-figure" type="application/json">``, parsed."""
    html = response.content.decode()
    opening = f'<script id="{name}-figure" type="application/json">'
    start = html.index(opening) + len(opening)
    return json.loads(html[start : html.index("</script>", start)])
