"""Real servers for the production tests: gunicorn in the production configuration on a
database of its own, started and always stopped within bounded time, and a client that keeps
cookies the way a browser behind a TLS-terminating proxy would. Loopback only."""

from __future__ import annotations

import contextlib
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

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
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
        return self.send(server, path, body)

    def send(
        self, server: Server, path: str, body: bytes | None, content_type: str = ""
    ) -> tuple[int, dict[str, str], str]:
        request = urllib.request.Request(server.base + path, data=body)
        if content_type:
            request.add_header("Content-Type", content_type)
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


def production_env(folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a production server on a SQLite database in ``folder``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "PYTEST", "GUNICORN_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "production-test-secret-" + "x9" * 30,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{folder / 'shared.sqlite3'}",
            "DJANGO_STATIC_ROOT": str(folder / "static"),
            "WEB_CONCURRENCY": "1",
            "HOST": "127.0.0.1",
            **extra,
        }
    )
    return env


def prepare(env: dict[str, str], setup: str) -> None:
    """Migrate, make the cache table, collect static files and run ``setup`` (Python, in
    ``manage.py shell``) against the database ``env`` names."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "shell", "-c", setup)


@contextlib.contextmanager
def running(env: dict[str, str], folder: Path, names: list[str]) -> Iterator[list[Server]]:
    """One gunicorn per name, each answering /healthz before this yields; all stopped after."""
    started: list[Server] = []
    try:
        for name in names:
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
        yield started
    finally:
        for server in started:
            server.process.terminate()
        for server in started:
            try:
                server.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait(timeout=5)
