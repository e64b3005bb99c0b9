"""Issue 13: three hostile uploads at once killed every gunicorn worker and /healthz went
unanswered for 30 s. This sends them again, all at once, with a request for /healthz and an
authority page, and reports how long each took. Loopback only, and bounded: five requests, each
with a timeout."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from authorities.models import Authority

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

    from indicators.returns.uploads import COLUMNS

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
    from indicators.returns.uploads import size_text, upload_limits

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
    if connection.in_atomic_block:
        # Another thread's connection cannot see what this transaction has not committed.
        return [], "hostile uploads: the data are in an open transaction, unseen by server threads"
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
