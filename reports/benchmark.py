"""The project's benchmark: server-side time, queries and size of the pages people use, on a
national-scale dataset. Run with ``make bench`` (see README); nothing here runs in the tests'
timing, so a slow machine never turns a test red."""

from __future__ import annotations

import datetime
import gzip
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from authorities.models import Authority, Region
from indicators.models import Document, Evidence, Indicator, Milestone, Observation, Source


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


@dataclass
class Timing:
    name: str
    seconds: float
    note: str = ""


def clear_official_data() -> None:
    """Remove what import_official writes (official and report figures, evidence, and the real
    authorities and regions with their inspections, events and neighbours), so the benchmark
    times a first import. The benchmark runs in a database of its own; demo data stays."""
    with transaction.atomic():
        Observation.objects.filter(source__in=[Source.OFFICIAL, Source.REPORT]).delete()
        Evidence.objects.all().delete()
        Document.objects.all().delete()
        Authority.objects.filter(is_demo=False).delete()
        Region.objects.filter(is_demo=False).delete()


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
    from indicators.models import MonthlyReturn

    officer, _ = get_user_model().objects.get_or_create(username="bench-data-officer")
    Membership.objects.get_or_create(user=officer, authority=authority, role=Role.DATA_OFFICER)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(officer)
    # The latest month a return can be entered for is last month.
    month = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
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


def table(measurements: list[Measurement]) -> str:
    width = max([28, *(len(m.name) for m in measurements)])
    header = (
        f"{'page':{width}} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KB':>8}"
    )
    lines = [header, "-" * len(header)]
    for m in measurements:
        lines.append(
            f"{m.name:{width}} {m.status:>6} {m.median_ms:>10.1f} {m.p95_ms:>8.1f} "
            f"{m.queries:>8} {m.bytes / 1024:>8.1f}"
        )
    return "\n".join(lines)


def write_json(path: Path, **sections: object) -> None:
    def plain(value: object) -> object:
        if isinstance(value, list):
            return [plain(v) for v in value]
        if hasattr(value, "__dataclass_fields__"):
            return asdict(value)  # type: ignore[call-overload]
        return value

    path.write_text(json.dumps({k: plain(v) for k, v in sections.items()}, indent=2))


# --- hostile uploads: does the service keep answering? -----------------------------------------
# Issue 13: three hostile uploads at once killed every gunicorn worker and /healthz went
# unanswered for 30 s. This sends them again, all at once, with a request for /healthz and an
# authority page, and reports how long each took. Loopback only, and bounded: five requests,
# each with a timeout.

HOSTILE_TIMEOUT = 60
MB = 1024 * 1024


@dataclass
class Latency:
    name: str
    url: str
    status: int
    seconds: float
    note: str = ""


def sheet_workbook(
    rows: str = "", *, after_rows: str = "", extra_parts: int = 0, dimension: str = ""
) -> bytes:
    """A real workbook with the return template's header, whose sheet has ``rows`` of raw XML
    after the header, ``after_rows`` after the sheet's data, and claims the size ``dimension``:
    what a hostile file could hold."""
    import io
    import re
    import zipfile

    from openpyxl import Workbook

    from indicators.uploads import COLUMNS

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Return"
    sheet.append(COLUMNS)
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for part in source.infolist():
            data = source.read(part.filename)
            if part.filename == "xl/worksheets/sheet1.xml":
                head, _, tail = data.decode().partition("</sheetData>")
                text = f"{head}{rows}</sheetData>{after_rows}{tail}"
                if dimension:
                    text = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', text)
                data = text.encode()
            target.writestr(part.filename, data, compresslevel=9)
        for number in range(extra_parts):
            target.writestr(f"docProps/extra{number}.xml", "<x/>")
    return out.getvalue()


def text_cell(reference: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>x</t></is></c>'


def hostile_uploads() -> dict[str, tuple[bytes, str]]:
    """The uploads that took the service down, by file name: the file, and the message that
    refuses it now."""
    from indicators.uploads import size_text, upload_limits

    limits = upload_limits()
    tall = f'<row r="2">{text_cell("A2")}</row><row r="1048576">{text_cell("A1048576")}</row>'
    return {
        "60000-columns.csv": (
            (",".join(["a"] * 60_000) + "\r\n").encode(),
            f"The file must have {limits.columns:,} columns or fewer",
        ),
        "unpacks-to-60-mb.xlsx": (
            sheet_workbook(after_rows="<!--" + " " * (60 * MB) + "-->"),
            f"The workbook must be smaller than {size_text(limits.workbook_bytes)} when unpacked",
        ),
        "a-million-rows.xlsx": (
            sheet_workbook(tall),
            f"The file must have {limits.cells:,} cells or fewer",
        ),
    }


def under_hostile_uploads(
    base: str,
    cookies: dict[str, str],
    *,
    upload_path: str,
    page_path: str,
    behind_tls_proxy: bool = False,
) -> list[Latency]:
    """Send every hostile upload (as the person whose session ``cookies`` are given) together
    with a request for /healthz and for ``page_path``, all at the same moment; how long each
    took and what it answered. An upload's note says whether it was refused with its limit."""
    import functools
    import html
    import re
    import threading
    import urllib.error
    import urllib.request
    import uuid
    from concurrent.futures import ThreadPoolExecutor
    from http.cookies import SimpleCookie

    jar = dict(cookies)
    scheme = "https" if behind_tls_proxy else "http"
    host = base.split("://", 1)[1].rstrip("/")

    def send(path: str, body: bytes | None = None, content_type: str = "") -> tuple[int, str]:
        request = urllib.request.Request(base + path, data=body)
        if content_type:
            request.add_header("Content-Type", content_type)
        if behind_tls_proxy:
            request.add_header("X-Forwarded-Proto", "https")
        request.add_header("Origin", f"{scheme}://{host}")
        request.add_header("Referer", f"{scheme}://{host}{path}")
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in jar.items()))
        try:
            response = urllib.request.urlopen(request, timeout=HOSTILE_TIMEOUT)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                jar.update({name: morsel.value for name, morsel in cookie.items()})
            return response.status, response.read().decode("utf-8", "replace")

    status, page = send(upload_path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None:
        raise RuntimeError(f"{upload_path} answered {status} without an upload form")

    def upload(name: str, content: bytes, message: str) -> Latency:
        boundary = uuid.uuid4().hex
        body = (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{token.group(1)}\r\n--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        body += content + f"\r\n--{boundary}--\r\n".encode()
        started = time.perf_counter()
        status, text = send(upload_path, body, f"multipart/form-data; boundary={boundary}")
        seconds = time.perf_counter() - started
        refused = message in html.unescape(text)
        note = "refused with its limit" if refused else "NOT refused with its limit"
        return Latency(f"upload {name}", upload_path, status, round(seconds, 3), note)

    def get(name: str, path: str) -> Latency:
        started = time.perf_counter()
        status, _ = send(path)
        return Latency(name, path, status, round(time.perf_counter() - started, 3))

    calls: list[Callable[[], Latency]] = [
        functools.partial(upload, name, content, message)
        for name, (content, message) in hostile_uploads().items()
    ]
    calls += [functools.partial(get, "/healthz", "/healthz")]
    calls += [functools.partial(get, "authority page", page_path)]
    barrier = threading.Barrier(len(calls))

    def together(call: Callable[[], Latency]) -> Latency:
        barrier.wait(timeout=HOSTILE_TIMEOUT)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(together, calls))


def measure_hostile_uploads(authority: Authority) -> tuple[list[Latency], str]:
    """``under_hostile_uploads`` against this process, served by a threaded server on
    127.0.0.1 (each request in a thread of its own, as gunicorn's threads would), as a data
    officer of ``authority``. Skipped, saying why, where other threads cannot open the database
    (SQLite in memory, as in the tests)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    from authorities.models import Membership, Role

    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        return [], "hostile uploads: the database is in memory, so no server thread can open it"
    officer, _ = get_user_model().objects.get_or_create(username="bench-data-officer")
    Membership.objects.get_or_create(user=officer, authority=authority, role=Role.DATA_OFFICER)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(officer)
    month = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait(timeout=HOSTILE_TIMEOUT)
    if server.error:
        raise server.error
    try:
        return under_hostile_uploads(
            f"http://127.0.0.1:{server.port}",
            {name: morsel.value for name, morsel in client.cookies.items()},
            upload_path=reverse("returns:upload", args=[authority.gss_code, month]),
            page_path=reverse("reports:authority", args=[authority.gss_code]),
        ), ""
    finally:
        server.terminate()
        server.join(timeout=HOSTILE_TIMEOUT)


def latency_table(latencies: list[Latency]) -> str:
    width = max([28, *(len(latency.name) for latency in latencies)])
    lines = [f"{'at the same moment':{width}} {'status':>6} {'seconds':>8}  note"]
    lines.append("-" * len(lines[0]))
    for latency in latencies:
        lines.append(
            f"{latency.name:{width}} {latency.status:>6} {latency.seconds:>8.3f}  {latency.note}"
        )
    return "\n".join(lines)
