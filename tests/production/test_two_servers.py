"""More than one machine: two gunicorn servers, in the production configuration, on one database.

A person signs in and saves a return through server A; server B, with the same session cookie,
shows the saved figure (sessions and data live in the database, not in a process). Failed
sign-ins counted through A lock the name out on B too (the cache is shared). Everything is
bounded in time and both servers are stopped whatever happens.
"""

from __future__ import annotations

import datetime
import html
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from indicators.returns_selectors import latest_month

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GSS = "E08000036"
PASSWORD = "a long and unusual passphrase 7"
START_TIMEOUT = 60
REQUEST_TIMEOUT = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class Browser:
    """Cookies kept by hand: they are Secure (HTTPS behind a proxy), and the servers are
    reached over plain HTTP with ``X-Forwarded-Proto: https`` as a proxy would send."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, server: Server, path: str, data: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(server.base + path, data=body)
        request.add_header("X-Forwarded-Proto", "https")
        origin = f"https://127.0.0.1:{server.port}"
        request.add_header("Origin", origin)
        request.add_header("Referer", origin + path)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=REQUEST_TIMEOUT)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        text = response.read().decode("utf-8", "replace")
        return response.status, dict(response.headers.items()), text

    def csrf(self, server: Server, path: str) -> str:
        status, _, page = self.request(server, path)
        assert status == 200, (path, status)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def sign_in(self, server: Server, username: str, password: str) -> tuple[int, str]:
        token = self.csrf(server, "/accounts/login/")
        status, _headers, page = self.request(
            server,
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        return status, page


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    folder = tmp_path_factory.mktemp("two-servers")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "PYTEST"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "two-servers-test-secret-" + "x9" * 30,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{folder / 'shared.sqlite3'}",
            "DJANGO_STATIC_ROOT": str(folder / "static"),
            "WEB_CONCURRENCY": "1",
            "HOST": "127.0.0.1",
        }
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v0")
    # One authority, a data officer of it, and someone whose sign-ins will be locked out.
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "from authorities.models import Authority, Membership; "
        f"a = Authority.objects.create(gss_code='{GSS}', dfe_code='384', name='Wakefield'); "
        f"u = User.objects.create_user('officer', password='{PASSWORD}'); "
        "Membership.objects.create(user=u, authority=a, role='data_officer'); "
        f"User.objects.create_user('locked', password='{PASSWORD}')",
    )
    started: list[Server] = []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = folder / f"server-{name}.log"
            process = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"],
                cwd=ROOT,
                env={**env, "PORT": str(port)},
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
            )
            started.append(Server(port, process, log))
        deadline = time.monotonic() + START_TIMEOUT
        for server in started:
            while True:
                assert server.process.poll() is None, server.log.read_text()
                try:
                    with urllib.request.urlopen(server.base + "/healthz", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "server did not start:\n" + (
                    server.log.read_text()
                )
                time.sleep(0.2)
        yield started[0], started[1]
    finally:
        for server in started:
            server.process.terminate()
        for server in started:
            try:
                server.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait(timeout=5)


def test_a_return_saved_through_one_server_is_seen_through_the_other(servers):
    a, b = servers
    assert a.port != b.port and a.process.pid != b.process.pid
    browser = Browser()
    status, _ = browser.sign_in(a, "officer", PASSWORD)
    assert status == 302, "sign-in through A failed"
    month = latest_month(datetime.date.today())
    path = f"/returns/{GSS}/{month:%Y-%m}/"
    token = browser.csrf(a, path)
    status, _headers, page = browser.request(
        a,
        path,
        {"csrfmiddlewaretoken": token, "version": "0", "action": "save", "contacts-value": "4321"},
    )
    assert status == 302, page[:2000]

    # B has never seen this browser: the session, and the figure, come from the database.
    status, _, page = browser.request(b, path)
    assert status == 200
    assert 'value="4321"' in page and "Draft saved" in html.unescape(page)

    # And the health of each says so.
    for server in (a, b):
        with urllib.request.urlopen(server.base + "/healthz", timeout=REQUEST_TIMEOUT) as reply:
            assert reply.read() == b'{"database": "ok", "cache": "ok", "status": "ok"}'


def test_failed_sign_ins_through_one_server_lock_out_on_the_other(servers):
    a, b = servers
    browser = Browser()
    for _ in range(5):
        status, page = browser.sign_in(a, "locked", "not the password")
        assert status == 200
    status, page = browser.sign_in(b, "locked", PASSWORD)
    assert status == 200
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in html.unescape(page)


def test_both_servers_write_json_logs(servers):
    a, _ = servers
    lines = [line for line in a.log.read_text().splitlines() if line.startswith("{")]
    assert any('"logger": "gunicorn.access"' in line and '"/healthz"' in line for line in lines)
