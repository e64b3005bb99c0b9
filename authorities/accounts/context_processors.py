"""What every page needs to know about the signed-in user's access."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .views import is_administrator


def access(request: HttpRequest) -> dict[str, object]:
    """``can_see_audit_log``: whether the navigation links to the audit log. The same check as
    the page itself makes; lazy, so a page that never asks costs no query."""
    user = getattr(request, "user", None)
    return {"can_see_audit_log": SimpleLazyObject(lambda: is_administrator(user))}
