"""Whether the navigation links to the watchlist: the same check as the page makes."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import sees_all


def watchlist(request: HttpRequest) -> dict[str, object]:
    """``can_see_watchlist``, lazy: a page that never asks costs no query."""
    user = getattr(request, "user", None)
    return {"can_see_watchlist": SimpleLazyObject(lambda: sees_all(user))}
