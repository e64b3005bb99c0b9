"""The service's navigation: one list of links, built here, drawn by base.html in one loop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    active: bool  # highlighted as the part of the service the page is in
    current: bool  # the page itself: aria-current="page"


def menu(
    request: HttpRequest, *, user: Any, can_see_audit_log: Any, can_see_watchlist: Any = False
) -> list[NavItem]:
    """The links every page offers, for the person signed in (or not)."""
    path = request.path

    def page(label: str, name: str) -> NavItem:
        url = reverse(name)
        return NavItem(label, url, active=path == url, current=path == url)

    items = [
        page("Authorities", "reports:home"),
        page("Compare", "reports:compare"),
        page("League tables", "reports:league"),
        page("Recoveries", "reports:recovery"),
    ]
    if can_see_watchlist:
        items.append(page("Watchlist", "watchlist:watchlist"))
    if user is not None and user.is_authenticated:
        returns = reverse("returns:index")
        # Every page of the returns is in that part of the service.
        items.append(NavItem("Returns", returns, active=returns in path, current=path == returns))
        if can_see_audit_log:
            items.append(page("Audit log", "audit"))
        items.append(page("Change password", "password_change"))
    else:
        login = reverse("login")
        here = path == login
        # Signing in comes back to the page it was asked from.
        href = login if here else f"{login}?next={quote(request.get_full_path(), safe='/')}"
        items.append(NavItem("Sign in", href, active=here, current=here))
    return items
