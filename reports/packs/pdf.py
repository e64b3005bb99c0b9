"""The pack as a tagged, accessible PDF: WeasyPrint renders the pack's own print template.

PDF/UA-1 makes WeasyPrint tag the structure (headings, lists, tables with their header cells,
figures with their alternative text from each chart's <title>), write the language and show the
document title. Nothing is fetched from the network: the service's stylesheet is read from disk
(and parsed once per process), and any other address is refused.
"""

from __future__ import annotations

import logging
import mimetypes
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STYLESHEET = "build/trajectory.css"


class StaticFilesOnly(URLFetcher):
    """Reads the service's static files from disk and refuses every other address, so making
    a PDF never waits on, or leaks anything to, another server."""

    def __init__(self, base_url: str) -> None:
        super().__init__(timeout=1)
        self.base = urlsplit(base_url)

    def static_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        static_url = settings.STATIC_URL
        if parts.scheme == "file":
            path = Path(unquote(parts.path))
            roots = [Path(root) for root in settings.STATICFILES_DIRS]
            inside = any(path.is_relative_to(root) for root in roots)
            return path if inside and ".." not in path.parts else None
        if (parts.scheme, parts.netloc) != (self.base.scheme, self.base.netloc):
            return None
        if not parts.path.startswith(static_url):
            return None
        relative = unquote(parts.path.removeprefix(static_url))
        if ".." in Path(relative).parts:
            return None
        found = finders.find(relative)
        return Path(found) if isinstance(found, str) else None

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = self.static_path(url)
        if path is None or not path.is_file():
            raise ValueError(f"Not fetched: {url} is not one of the service's static files")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )


@lru_cache(maxsize=2)
def _stylesheet(path: str, modified: float) -> CSS:
    """The service's stylesheet, parsed once (per version of the file) rather than per PDF:
    parsing GOV.UK Frontend's rules is a good part of a PDF's cost. WeasyPrint reads media
    types, not the screen-width queries GOV.UK Frontend is full of; it would log a warning for
    each of those rules (a couple of hundred), none of which matters on paper."""
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return CSS(filename=path, url_fetcher=StaticFilesOnly("file:///"), media_type="print")
    finally:
        logger.setLevel(level)


def stylesheet() -> CSS:
    found = finders.find(STYLESHEET)
    if not isinstance(found, str):
        raise FileNotFoundError(
            f"{STYLESHEET} is missing from the static files: run scripts/build_frontend.sh"
        )
    return _stylesheet(found, Path(found).stat().st_mtime)


def render_pdf(html: str, *, base_url: str) -> bytes:
    """The PDF of a page's HTML (made with ``reports/packs/pdf_base.html``, which links no
    stylesheet: the parsed one is given here). ``base_url`` is the site's address, so links in
    the PDF lead back to the service."""
    document = HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly(base_url))
    return document.write_pdf(  # type: ignore[no-any-return]
        stylesheets=[stylesheet()], pdf_variant="pdf/ua-1"
    )
