"""Requests no view should see: a NUL character in the path or the query string.

A NUL never belongs in a URL, and PostgreSQL refuses it in a query parameter (a server error
deep in whichever view passed it on), so such a request is answered 400 Bad Request here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


class RejectNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
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
