"""Attacks on a running server (issue 13, items 6, 8 and 9), against gunicorn in the production
configuration on SQLite, as they were made: eight saves at once, a 300 MB body, HEAD requests,
and hostile uploads while others use the service. Loopback only; every request is bounded in
time, and the server is stopped whatever happens.
"""

from __future__ import annotations

import datetime
import socket
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from indicators.returns.selectors import add_months, latest_month
from reports.benchmark.hostile import latency_table, under_hostile_uploads
from tests.production.servers import (
    REQUEST_TIMEOUT,
    Browser,
    Server,
    prepare,
    production_env,
    running,
)

PASSWORD = "a long and unusual passphrase 7"
CODES = [f"E08{n:06d}" for n in range(1, 9)]  # eight authorities: eight saves at once
MONTH = latest_month(datetime.date.today())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("live-server")
    # Four processes of two threads: eight requests at once, as many as there are saves.
    env = production_env(folder, WEB_CONCURRENCY="4", GUNICORN_THREADS="2")
    prepare(
        env,
        "from django.contrib.auth.models import User; "
        "from authorities.models import Authority, Membership; "
        f"u = User.objects.create_user('officer', password='{PASSWORD}'); "
        f"codes = {CODES!r}; "
        "[Membership.objects.create(user=u, role='data_officer', authority="
        "Authority.objects.create(gss_code=c, dfe_code=str(300 + i), name=f'Authority {i}')) "
        "for i, c in enumerate(codes)]",
    )
    with running(env, folder, ["live"]) as (live,):
        yield live


@pytest.fixture(scope="module")
def officer(server: Server) -> Browser:
    browser = Browser()
    status, _ = browser.sign_in(server, "officer", PASSWORD)
    assert status == 302, "sign-in failed"
    return browser


def at_once(calls: list[Callable[[], object]]) -> list[object]:
    """Every call started together (a barrier), each in its own thread."""
    barrier = threading.Barrier(len(calls))

    def together(call: Callable[[], object]) -> object:
        barrier.wait(timeout=REQUEST_TIMEOUT)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(together, calls))


def save(server: Server, officer: Browser, path: str, token: str, value: str):
    """A save of the contacts figure, by the officer, as its own browser would send it."""
    browser = Browser(cookies=dict(officer.cookies))
    data = {"csrfmiddlewaretoken": token, "version": "0", "action": "save", "contacts-value": value}
    return lambda: browser.request(server, path, data)[0]


def test_eight_saves_at_once_all_succeed(server, officer):
    """SQLite answered 6 of 8 simultaneous saves with "database is locked" (a 500): two
    transactions that both read and then write deadlock in its default mode. Each transaction
    now takes the write lock when it begins and waits its turn."""
    for round, month in enumerate([MONTH, add_months(MONTH, -1), add_months(MONTH, -2)]):
        paths = [f"/returns/{code}/{month:%Y-%m}/" for code in CODES]
        token = officer.csrf(server, paths[0])
        values = [str(1000 + 10 * round + n) for n in range(len(paths))]
        statuses = at_once(
            [
                save(server, officer, path, token, value)
                for path, value in zip(paths, values, strict=True)
            ]
        )
        assert statuses == [302] * len(paths), f"round {round + 1}: {statuses}"
        for path, value in zip(paths, values, strict=True):
            status, _, page = officer.request(server, path)
            assert status == 200 and f'value="{value}"' in page, path
    assert "database is locked" not in server.log.read_text()


def raw(server: Server, head: bytes, body: bytes = b"") -> tuple[bytes, bytes]:
    """Send ``head`` (and ``body``) on a socket of its own; the status line and headers, and
    whatever body came back before the server closed the connection."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=REQUEST_TIMEOUT) as sock:
        sock.sendall(head + body)
        received = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += chunk
    headers, _, rest = received.partition(b"\r\n\r\n")
    return headers, rest


def test_a_300_mb_sign_in_is_refused_before_it_is_sent(server):
    """Only the headers and a few bytes are sent: the 413 comes back without waiting for the
    300 MB the headers announce (a server that read the body would wait until the timeout)."""
    head = (
        b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
        b"Content-Type: multipart/form-data; boundary=x\r\n"
        b"Content-Length: 314572800\r\nConnection: close\r\n\r\n"
    )
    headers, body = raw(server, head, b"--x\r\n")
    assert headers.startswith(b"HTTP/1.1 413"), headers
    assert "What you sent is too large" in body.decode("utf-8", "replace")


@pytest.mark.parametrize("path", [b"/", b"/healthz"])
def test_head_answers_200_with_no_body(server, path):
    head = (
        b"HEAD " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
        b"Connection: close\r\n\r\n"
    )
    headers, body = raw(server, head)
    assert headers.startswith(b"HTTP/1.1 200"), headers
    assert body == b""


def test_hostile_uploads_at_once_leave_the_service_answering(server, officer):
    """Three hostile uploads at once (the 60,000-column CSV, the workbook that unpacks to
    60 MB, a sheet claiming a million rows) while /healthz and an authority page are asked
    for: each upload is refused with its limit, and the others are answered. Latencies are
    printed, never asserted (``manage.py benchmark`` reports them too)."""
    latencies = under_hostile_uploads(
        server.base,
        officer.cookies,
        upload_path=f"/returns/{CODES[0]}/{MONTH:%Y-%m}/upload/",
        page_path=f"/authorities/{CODES[0]}/",
        behind_tls_proxy=True,
    )
    print("\n" + latency_table(latencies))
    assert [latency.status for latency in latencies] == [200] * 5, latencies
    uploads = [latency for latency in latencies if latency.name.startswith("upload")]
    assert len(uploads) == 3
    assert all(latency.note == "refused with its limit" for latency in uploads), uploads
    assert "WORKER TIMEOUT" not in server.log.read_text()
