"""More than one machine: two gunicorn servers, in the production configuration, on one database.

A person signs in and saves a return through server A; server B, with the same session cookie,
shows the saved figure (sessions and data live in the database, not in a process). Failed
sign-ins counted through A lock the name out on B too (the cache is shared). Everything is
bounded in time and both servers are stopped whatever happens.
"""

from __future__ import annotations

import datetime
import html
import urllib.request
from collections.abc import Iterator

import pytest

from indicators.returns.selectors import latest_month
from tests.production.servers import (
    REQUEST_TIMEOUT,
    Browser,
    Server,
    prepare,
    production_env,
    running,
)

GSS = "E08000036"
PASSWORD = "a long and unusual passphrase 7"


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    folder = tmp_path_factory.mktemp("two-servers")
    env = production_env(folder)
    # One authority, a data officer of it, and someone whose sign-ins will be locked out.
    prepare(
        env,
        "from django.contrib.auth.models import User; "
        "from authorities.models import Authority, Membership; "
        f"a = Authority.objects.create(gss_code='{GSS}', dfe_code='384', name='Wakefield'); "
        f"u = User.objects.create_user('officer', password='{PASSWORD}'); "
        "Membership.objects.create(user=u, authority=a, role='data_officer'); "
        f"User.objects.create_user('locked', password='{PASSWORD}')",
    )
    with running(env, folder, ["a", "b"]) as (a, b):
        yield a, b


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
