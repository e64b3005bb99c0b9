"""No leaks by construction: every URL pattern in the URLconf, walked, not listed by hand.

Path parameters are filled from real objects by their names (``PARAMS``); a pattern with a
parameter this test cannot fill fails it with a message saying what to add, so a new URL is
covered without anyone editing the test otherwise.

For every URL, with and without ``HX-Request``, by GET and by POST:

- anonymous people are refused everywhere under /returns/, /audit/ and /admin/, on the
  milestone forms and on the board packs (sent to sign in, or refused outright), and never see
  content there;
- authority A has a draft monthly return with a distinctive figure (98765) and note, and
  nobody outside A and DfE (anonymous, a data officer, an approver and a board member of
  authority B) finds either in any page, fragment or download;
- A's data officer and a DfE analyst do see them on the return page (so the check is not
  vacuous), and a superuser gets something other than "not found" from every non-admin URL
  (so the parameters are real);
- no HTML page has an inline script or style (the Content Security Policy would block it).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.regex_helper import normalize

from authorities.models import Authority, Membership, Role
from indicators.annex_a.models import AnnexAUpload
from indicators.milestones.models import ImprovementAction
from indicators.returns import services
from reports.packs.services import make_pack
from tests.factories import AuthorityFactory, MilestoneFactory, ObservationFactory
from tests.indicators.returns.conftest import MONTH

pytestmark = pytest.mark.django_db

SECRET_FIGURE = "98765"
# The draft's figure and note, and an improvement-plan action (the plan is private too).
SECRET_TEXTS = ("98765", "98,765", "Unpublished-note-QZX", "Private-plan-action-QZX")
PROTECTED_PREFIXES = ("/returns/", "/audit/", "/admin/")
PROTECTED_NAMES = {
    "plan:milestone_add",
    "plan:milestone_edit",
    "plan:milestone_delete",
    "plan:plan",
    "plan:add",
    "plan:edit",
    "plan:remove",
    "plan:history",
    "watchlist:watchlist",
    "watchlist:csv",
    "reports:packs",
    "reports:pack",
    "reports:pack_pdf",
    "annex_a:teams",
}
PUBLIC_ADMIN = {"admin:login", "admin:logout"}  # signing in and out shows nothing
HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/"}


@dataclass(frozen=True)
class Route:
    parts: tuple[Any, ...]  # the pattern objects from the root to the view
    name: str

    @property
    def text(self) -> str:
        return "".join(str(part) for part in self.parts)


def walk(patterns: list[Any], parts: tuple[Any, ...] = (), namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace or "") if n)
            yield from walk(pattern.url_patterns, (*parts, pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = ":".join(n for n in (namespace, pattern.name or "") if n)
            yield Route((*parts, pattern.pattern), name)


@dataclass
class World:
    authority: Authority  # A: has the unpublished draft
    other: Authority  # B
    users: dict[str, User]
    params: dict[str, Callable[[Route], Any]]


def admin_model(route: Route) -> Any:
    """The model an admin URL is about, from its address (``admin/<app>/<model>/...``)."""
    match = re.match(r"admin/(\w+)/(\w+)/", route.text)
    if not match:
        return None
    try:
        return apps.get_model(match.group(1), match.group(2))
    except LookupError:
        return None


def admin_object(route: Route) -> str:
    model = admin_model(route)
    instance = model.objects.order_by("pk").first() if model else None
    return str(instance.pk) if instance else "1"


@pytest.fixture
def world(db) -> World:
    a = AuthorityFactory(name="Authority A", gss_code="E08000036")
    b = AuthorityFactory(name="Authority B", gss_code="E08000034")

    def person(username: str, role: str | None, authority: Authority | None) -> User:
        user = User.objects.create_user(username, f"{username}@example.com", "pw")
        if role:
            Membership.objects.create(user=user, role=role, authority=authority)
        return user

    users = {
        "a_officer": person("a_officer", Role.DATA_OFFICER, a),
        "dfe_analyst": person("dfe_analyst", Role.DFE_ANALYST, None),
        "b_officer": person("b_officer", Role.DATA_OFFICER, b),
        "b_approver": person("b_approver", Role.APPROVER, b),
        "b_board": person("b_board", Role.BOARD_MEMBER, b),
        "superuser": User.objects.create_superuser("root", "root@example.com", "pw"),
    }
    services.save_return_values(
        authority=a,
        month=MONTH,
        user=users["a_officer"],
        entries={"contacts": {"value": SECRET_FIGURE, "internal_note": SECRET_TEXTS[2]}},
        version=0,
    )
    milestone = MilestoneFactory(authority=a)
    action = ImprovementAction.objects.create(
        authority=a, description=SECRET_TEXTS[3], owner="Head", due_date=MONTH
    )
    observation = ObservationFactory(area_code=a.gss_code)
    pack = make_pack(authority=a, meeting_date=MONTH, user=users["dfe_analyst"])
    upload = AnnexAUpload.objects.create(
        authority=a, uploaded_by=users["a_officer"], sha256="0" * 64, rows_used=1, rules_version="x"
    )
    b_user = users["b_officer"]

    def by_route(**choices: Any) -> Callable[[Route], Any]:
        def choose(route: Route) -> Any:
            if route.name in choices:
                return choices[route.name]
            if route.text.startswith("admin/"):
                return admin_object(route)
            pytest.fail(
                f"The URL {route.text!r} ({route.name}) has a parameter whose meaning depends "
                "on the view: say which object fills it in PARAMS in "
                "tests/production/test_no_leaks.py"
            )

        return choose

    params: dict[str, Callable[[Route], Any]] = {
        "gss_code": lambda route: a.gss_code,
        "month": lambda route: MONTH,
        "code": lambda route: "contacts",
        "pk": by_route(
            **{
                "plan:milestone_edit": milestone.pk,
                "plan:milestone_delete": milestone.pk,
                "reports:observation_source": observation.pk,
                "plan:edit": action.pk,
                "plan:remove": action.pk,
                "reports:pack": pack.pk,
                "reports:pack_pdf": pack.pk,
                "annex_a:result": upload.pk,
                "annex_a:accept": upload.pk,
            }
        ),
        "object_id": by_route(**{"admin:view_on_site": str(a.pk)}),
        "id": by_route(),
        "content_type_id": lambda route: ContentType.objects.get_for_model(Authority).pk,
        "app_label": lambda route: "authorities",
        "url": lambda route: "not-a-page/",
        "uidb64": lambda route: urlsafe_base64_encode(force_bytes(b_user.pk)),
        "token": lambda route: default_token_generator.make_token(b_user),
    }
    return World(a, b, users, params)


def url_for(route: Route, world: World) -> str:
    path = "/"
    for part in route.parts:
        form, names = normalize(part.regex.pattern)[0]
        converters = getattr(part, "converters", {})
        values = {}
        for name in names:
            if name not in world.params:
                pytest.fail(
                    f"The URL {route.text!r} ({route.name or 'no name'}) has a parameter "
                    f"{name!r} the leak test cannot fill: add it to PARAMS in "
                    "tests/production/test_no_leaks.py"
                )
            raw = world.params[name](route)
            values[name] = converters[name].to_url(raw) if name in converters else str(raw)
        path += form % values
    return path


def routes() -> list[Route]:
    found = list(walk(get_resolver().url_patterns))
    seen: set[str] = set()
    unique = []
    for route in found:  # the same address twice (login overridden): the first one serves
        if route.text not in seen:
            seen.add(route.text)
            unique.append(route)
    return unique


def body_text(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # a workbook: the text inside its parts
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as book:
                return " ".join(
                    book.read(name).decode("utf-8", "replace") for name in book.namelist()
                )
        except zipfile.BadZipFile:
            pass
    return content.decode("utf-8", "replace")


def is_protected(route: Route, url: str) -> bool:
    if route.name in PUBLIC_ADMIN:
        return False
    return url.startswith(PROTECTED_PREFIXES) or route.name in PROTECTED_NAMES


def refused(response: Any) -> bool:
    """Sent to sign in (a redirect, or htmx told to go there), or refused outright."""
    if response.status_code in (403, 405):
        return True
    if response.status_code == 302:
        return "login" in response["Location"]
    redirect = response.headers.get("HX-Redirect", "")
    return response.status_code == 200 and "login" in redirect and not response.content.strip()


def fetch(client: Any, user: User | None, method: str, url: str, htmx: bool) -> Any:
    client.logout()
    if user is not None:
        client.force_login(user)
    headers = HTMX if htmx else {}
    if method == "get":
        return client.get(url, headers=headers)
    return client.post(url, {}, headers=headers)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


def test_every_url_pattern_is_walked_and_filled(world):
    names = {route.name for route in routes()}
    for expected in ("returns:return", "audit", "healthz", "plan:milestone_edit", "admin:index"):
        assert expected in names
    for route in routes():
        url = url_for(route, world)
        assert url.startswith("/") and "%(" not in url and "(?P" not in url, url


def test_unknown_parameters_fail_clearly(world):
    from django.urls import path

    new = Route(
        (get_resolver().pattern, path("things/<slug:flavour>/", lambda r: None).pattern), "x"
    )
    with pytest.raises(pytest.fail.Exception, match="parameter 'flavour' the leak test cannot"):
        url_for(new, world)


def test_anonymous_people_are_refused_where_they_must_be(client, world):
    problems = []
    for route in routes():
        url = url_for(route, world)
        if not is_protected(route, url):
            continue
        for method in ("get", "post"):
            for htmx in (False, True):
                response = fetch(client, None, method, url, htmx)
                if not refused(response):
                    problems.append(f"{method.upper()} {url} htmx={htmx}: {response.status_code}")
                text = body_text(response)
                if any(secret in text for secret in SECRET_TEXTS):
                    problems.append(f"{method.upper()} {url} htmx={htmx}: shows the draft")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("who", [None, "b_officer", "b_approver", "b_board"])
def test_no_page_shows_another_authoritys_unpublished_figures(client, world, who):
    user = world.users[who] if who else None
    problems = []
    for route in routes():
        url = url_for(route, world)
        if url.startswith("/admin/") and route.name not in PUBLIC_ADMIN and who:
            # Not staff: the admin sends them to its sign-in. One request each is enough.
            if not refused(fetch(client, user, "get", url, False)):
                problems.append(f"GET {url}: the admin let a non-staff user in")
            continue
        for method in ("get", "post"):
            for htmx in (False, True):
                response = fetch(client, user, method, url, htmx)
                text = body_text(response)
                found = [secret for secret in SECRET_TEXTS if secret in text]
                if found:
                    problems.append(
                        f"{method.upper()} {url} htmx={htmx} ({response.status_code}): {found}"
                    )
                if response.status_code >= 500:
                    problems.append(f"{method.upper()} {url} htmx={htmx}: server error")
    assert not problems, f"{who or 'anonymous'} sees:\n" + "\n".join(problems)


@pytest.mark.parametrize("who", ["a_officer", "dfe_analyst"])
def test_members_and_dfe_see_the_draft_on_the_return_page(client, world, who):
    code = world.authority.gss_code
    url = f"/returns/{code}/{MONTH:%Y-%m}/"
    html = body_text(fetch(client, world.users[who], "get", url, False))
    assert SECRET_FIGURE in html.replace(",", "") and SECRET_TEXTS[2] in html
    plan = body_text(fetch(client, world.users[who], "get", f"/authorities/{code}/plan/", False))
    assert SECRET_TEXTS[3] in plan  # the plan's action: so its absence elsewhere means something


def test_every_page_is_reachable_with_these_parameters(client, world):
    """A superuser gets something other than "not found" from every URL outside the admin, so
    the checks above looked at real pages; and no HTML page has inline script or style."""
    problems = []
    for route in routes():
        url = url_for(route, world)
        if url.startswith("/admin/"):
            continue
        for htmx in (False, True):
            response = fetch(client, world.users["superuser"], "get", url, htmx)
            if response.status_code == 404 or response.status_code >= 500:
                problems.append(f"GET {url} htmx={htmx}: {response.status_code}")
            if response.get("Content-Type", "").startswith("text/html"):
                text = body_text(response)
                for pattern in (INLINE_SCRIPT, INLINE_STYLE):
                    match = pattern.search(text)
                    if match:
                        problems.append(f"GET {url}: inline {match.group(0)!r}")
    assert not problems, "\n".join(problems)
