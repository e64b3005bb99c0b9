"""The pages the benchmark times: server-side time per request (median and 95th percentile),
queries and size, through Django's test client; and the size of the scripts a page loads."""

from __future__ import annotations

import datetime
import gzip
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from authorities.models import Authority
from authorities.toolkit.months import last_complete_month
from indicators.milestones.models import Milestone
from indicators.models import Indicator


@dataclass
class Endpoint:
    name: str
    url: str
    method: str = "get"
    data: dict | None = None
    headers: dict = field(default_factory=dict)
    # Called before every request (for example to reset a return the request changes).
    before_each: Callable[[], None] | None = None
    client: Client | None = None


@dataclass
class Measurement:
    name: str
    url: str
    status: int
    median_ms: float
    p95_ms: float
    queries: int
    bytes: int
    requests: int
    # The same page's SQL, replayed raw through the database cursor in the same run (the limit a
    # page could reach), and the page's time over it. None for a page that writes.
    sql_ms: float | None = None
    ratio: float | None = None
    gzip_bytes: int = 0
    # The median with the page cache left warm (the same as median_ms where nothing is cached).
    cached_median_ms: float | None = None


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(endpoint: Endpoint, *, repeats: int, warmup: int) -> Measurement:
    """Time ``endpoint`` with the page cache emptied before each request (untimed), then with it
    left warm; replay the SQL one request ran, raw, as often, for the ratio of page to data."""
    client = endpoint.client or Client(SERVER_NAME="127.0.0.1")
    send = getattr(client, endpoint.method)

    def request(*, empty_cache: bool) -> tuple[HttpResponse, float]:
        if endpoint.before_each:
            endpoint.before_each()
        if empty_cache:
            cache.clear()
        started = time.perf_counter()
        response = send(endpoint.url, endpoint.data or {}, headers=endpoint.headers)
        return response, (time.perf_counter() - started) * 1000

    for _ in range(warmup):
        request(empty_cache=True)
    durations = [request(empty_cache=True)[1] for _ in range(repeats)]
    statements: list[tuple[str, Any]] = []
    with (
        CaptureQueriesContext(connection) as queries,
        connection.execute_wrapper(_Recorder(statements)),
    ):
        response, _ = request(empty_cache=True)
    # Counted now: the next request empties Django's query log.
    query_count = len(queries)
    reads = endpoint.method == "get"
    warm = [request(empty_cache=False)[1] for _ in range(repeats)] if reads else []
    median_ms = statistics.median(durations)
    sql_ms = None
    if reads and statements:
        sql_ms = statistics.median(_replay(statements) for _ in range(repeats))
    return Measurement(
        name=endpoint.name,
        url=endpoint.url,
        status=response.status_code,
        median_ms=round(median_ms, 1),
        p95_ms=round(_percentile(durations, 0.95), 1),
        queries=query_count,
        bytes=len(response.content),
        requests=repeats,
        sql_ms=round(sql_ms, 2) if sql_ms is not None else None,
        ratio=round(median_ms / sql_ms, 1) if sql_ms else None,
        gzip_bytes=len(gzip.compress(response.content, compresslevel=6)),
        cached_median_ms=round(statistics.median(warm), 1) if warm else None,
    )


class _Recorder:
    """An execute wrapper that keeps each statement a request runs, with its parameters."""

    def __init__(self, statements: list[tuple[str, Any]]) -> None:
        self.statements = statements

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.statements.append((sql, params))
        return execute(sql, params, many, context)


def _replay(statements: list[tuple[str, Any]]) -> float:
    """Milliseconds to run a page's reads again straight through the cursor, fetching every
    row: what the page costs in data alone. Writes (sessions, savepoints) are not replayed."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql, params in statements:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute(sql, params)
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def bench_authority() -> Authority | None:
    """The authority whose pages are measured: one with milestones, if any has them."""
    return (
        Authority.objects.filter(pk__in=Milestone.objects.values("authority")).first()
        or Authority.objects.order_by("gss_code").first()
    )


def default_endpoints(*, every_chart: bool = False) -> tuple[list[Endpoint], list[str]]:
    """The pages the budgets speak of; with ``every_chart``, the chart fragment of every
    indicator too. Pages not built yet are listed as skipped."""
    skipped: list[str] = []
    endpoints = [Endpoint("home", reverse("reports:home"))]
    authority = bench_authority()
    if authority is None:
        return endpoints, ["every authority page: no authorities loaded"]
    page = reverse("reports:authority", args=[authority.gss_code])
    endpoints.append(Endpoint("authority page", page))
    endpoints.append(
        Endpoint(
            "chart fragment",
            page,
            data={"indicator": "agency_sw_pct", "neighbours": "median"},
            headers={"HX-Request": "true"},
        )
    )
    if every_chart:
        for code in Indicator.objects.order_by("sort_order").values_list("code", flat=True):
            endpoints.append(
                Endpoint(
                    f"chart: {code}",
                    page,
                    data={"indicator": code},
                    headers={"HX-Request": "true"},
                )
            )
    endpoints.append(
        Endpoint(
            "trajectory CSV",
            reverse("reports:trajectory_csv", args=[authority.gss_code]),
            data={"indicator": "agency_sw_pct"},
        )
    )
    twelve = list(Authority.objects.order_by("gss_code").values_list("gss_code", flat=True)[:12])
    compare_query: dict = {"authority": twelve, "indicator": "agency_sw_pct"}
    endpoints.append(
        Endpoint("compare 12 authorities", reverse("reports:compare"), data=compare_query)
    )
    endpoints.append(
        Endpoint("league table", reverse("reports:league"), data={"indicator": "agency_sw_pct"})
    )
    endpoints.extend(_signed_in_endpoints(authority))
    endpoints.extend(_return_endpoints(authority))
    return endpoints, skipped


def _signed_in_client(username: str, authority: Authority | None, role: str) -> Client:
    """A client signed in as a benchmark user with ``role`` (for ``authority``, or nationally)."""
    from authorities.models import Membership

    user, _ = get_user_model().objects.get_or_create(username=username)
    Membership.objects.get_or_create(user=user, authority=authority, role=role)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    return client


def _signed_in_endpoints(authority: Authority) -> list[Endpoint]:
    """The pages only some people see: the neighbours grid and recovery (public), the watchlist
    as a DfE analyst, and the authority's team page, plan and board packs as its board member."""
    from authorities.models import Role

    gss = authority.gss_code
    analyst = _signed_in_client("bench-dfe-analyst", None, Role.DFE_ANALYST)
    member = _signed_in_client("bench-board-member", authority, Role.BOARD_MEMBER)
    return [
        Endpoint("neighbours grid", reverse("reports:neighbours_grid", args=[gss])),
        Endpoint("recovery", reverse("reports:recovery"), data={"indicator": "agency_sw_pct"}),
        Endpoint("watchlist (DfE)", reverse("watchlist:watchlist"), client=analyst),
        Endpoint("team page (member)", reverse("annex_a:teams", args=[gss]), client=member),
        Endpoint("plan (member)", reverse("plan:plan", args=[gss]), client=member),
        Endpoint("board packs (member)", reverse("reports:packs", args=[gss]), client=member),
    ]


def _return_endpoints(authority: Authority) -> list[Endpoint]:
    """The return form for this month, and saving it, as a data officer of the authority."""
    from authorities.models import Membership, Role
    from indicators.returns.models import MonthlyReturn

    officer, _ = get_user_model().objects.get_or_create(username="bench-data-officer")
    Membership.objects.get_or_create(user=officer, authority=authority, role=Role.DATA_OFFICER)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(officer)
    # The latest month a return can be entered for is last month.
    month = last_complete_month(datetime.date.today())
    url = reverse("returns:return", args=[authority.gss_code, month])
    MonthlyReturn.objects.filter(authority=authority, month=month).delete()

    values: dict[str, str] = {}
    for indicator in Indicator.objects.in_monthly_return():
        if indicator.entry == "ratio":
            values[f"{indicator.code}-numerator"] = "40"
            values[f"{indicator.code}-denominator"] = "50"
        else:
            values[f"{indicator.code}-value"] = "120"
        values[f"{indicator.code}-explanation"] = "Benchmark figures"

    def current_version() -> None:
        saved = MonthlyReturn.objects.filter(authority=authority, month=month).first()
        values["version"] = str(saved.version if saved else 0)

    return [
        Endpoint("return form", url, client=client),
        Endpoint(
            "return save",
            url,
            method="post",
            data=values,
            before_each=current_version,
            client=client,
        ),
    ]


def javascript_sizes() -> dict[str, int]:
    """Compressed bytes of every script a page loads (the budget is for the heaviest page)."""
    static = Path(settings.BASE_DIR) / "static"
    scripts = [
        "vendor/htmx/htmx.min.js",
        "vendor/plotly/plotly-basic.min.js",
        "vendor/govuk/govuk-frontend.min.js",
        "js/app.js",
    ]
    sizes = {}
    for script in scripts:
        path = static / script
        if path.exists():
            sizes[script] = len(gzip.compress(path.read_bytes(), compresslevel=9))
    sizes["total"] = sum(sizes.values())
    return sizes
