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

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
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


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(endpoint: Endpoint, *, repeats: int, warmup: int) -> Measurement:
    client = endpoint.client or Client(SERVER_NAME="127.0.0.1")
    send = getattr(client, endpoint.method)

    def request():
        if endpoint.before_each:
            endpoint.before_each()
        return send(endpoint.url, endpoint.data or {}, headers=endpoint.headers)

    for _ in range(warmup):
        request()
    durations = []
    response = None
    for _ in range(repeats):
        started = time.perf_counter()
        response = request()
        durations.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = request()
    assert response is not None
    return Measurement(
        name=endpoint.name,
        url=endpoint.url,
        status=response.status_code,
        median_ms=round(statistics.median(durations), 1),
        p95_ms=round(_percentile(durations, 0.95), 1),
        queries=len(queries),
        bytes=len(response.content),
        requests=repeats,
    )


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
    endpoints.extend(_return_endpoints(authority))
    return endpoints, skipped


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
