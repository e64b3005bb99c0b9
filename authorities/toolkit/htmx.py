"""One typed htmx request and one way to answer it: the whole page, or the region htmx asked for.

Views annotate their request as ``HtmxHttpRequest`` (django-htmx's documented typing pattern; its
middleware sets ``request.htmx`` on every request) and answer with ``render_page``. A template
marks each region htmx swaps with ``{% partialdef %}``; a plain request, and htmx restoring a page
from history, always get the whole page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.http import push_url
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def wants_region(request: HtmxHttpRequest) -> bool:
    """Whether htmx asked for a region of the page. A history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def vary_on_htmx[Response: HttpResponseBase](response: Response) -> Response:
    """Mark a response that differs with and without htmx, so no cache serves one for the other."""
    patch_vary_headers(response, ("HX-Request",))
    return response


def render_page(
    request: HtmxHttpRequest,
    template_name: str,
    context: dict[str, Any],
    *,
    region: str,
    push: str | None = None,
) -> HttpResponse:
    """``template_name#region`` for htmx, the whole template otherwise, varying on HX-Request.

    ``push`` is the address htmx puts in the browser's history after swapping the region in, when
    it is not the address asked for (after an action, the page's clean permalink)."""
    partial = wants_region(request)
    response = render(request, f"{template_name}#{region}" if partial else template_name, context)
    if partial and push is not None:
        push_url(response, push)
    return vary_on_htmx(response)
