"""Requests no view should see, and responses no shared cache should keep.

- A NUL character in the path or the query string: answered 400 Bad Request. A NUL never belongs
  in a URL, and PostgreSQL refuses it in a query parameter (a server error deep in whichever view
  passed it on).
- A body larger than ``REQUEST_BODY_LIMIT`` (``UPLOAD_REQUEST_BODY_LIMIT`` for a view marked
  ``accepts_uploads``): answered 413 from its Content-Length, before a byte of it is read, so a
  300 MB post to the sign-in page is neither read into memory nor written to disk.
- Pages with unpublished or personal data (``PRIVATE_PATH_PREFIXES``, and every page a signed-in
  person is shown): ``Cache-Control: private, no-store``, so no proxy or shared computer keeps a
  copy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

from indicators.returns.uploads import size_text, upload_limits

GetResponse = Callable[[HttpRequest], HttpResponse]


class RejectNulCharactersMiddleware:
    def __init__(self, get_response: GetResponse):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "The address has a NUL character in it.", content_type="text/plain"
            )
        return self.get_response(request)


def accepts_uploads[V: Callable[..., Any]](view: V) -> V:
    """Mark a view that takes a file: its requests may be as large as
    ``UPLOAD_REQUEST_BODY_LIMIT`` rather than ``REQUEST_BODY_LIMIT``. Put it outermost, so the
    mark is on the function the URL resolves to."""
    view.accepts_uploads = True  # type: ignore[attr-defined]
    return view


def content_length(request: HttpRequest) -> int:
    """The length the request says its body has. Django reads nothing of a body whose length is
    missing or not a number (a chunked body, for one), so those count as empty."""
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def _accepts_uploads(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return bool(getattr(match.func, "accepts_uploads", False))


class RequestBodyLimitMiddleware:
    """413 for a body over the limit, judged by Content-Length alone (before it is read)."""

    def __init__(self, get_response: GetResponse):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = content_length(request)
        if length > settings.REQUEST_BODY_LIMIT:
            upload = _accepts_uploads(request)
            limit = settings.UPLOAD_REQUEST_BODY_LIMIT if upload else settings.REQUEST_BODY_LIMIT
            if length > limit:
                return too_large(request, limit=limit, upload=upload)
        return self.get_response(request)


def too_large(request: HttpRequest, *, limit: int, upload: bool) -> HttpResponse:
    context = {
        "limit": size_text(limit),
        "upload": upload,
        "file_limit": size_text(upload_limits().file_bytes),
    }
    return render(request, "413.html", context, status=413)


def is_private(request: HttpRequest) -> bool:
    """Whether the page may show unpublished or personal data."""
    if request.path_info.startswith(tuple(settings.PRIVATE_PATH_PREFIXES)):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` on every private page, in one place (after
    AuthenticationMiddleware, so it knows who is signed in)."""

    def __init__(self, get_response: GetResponse):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_private(request):
            patch_cache_control(response, private=True, no_store=True)
        return response
