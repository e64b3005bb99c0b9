"""Production settings refuse to start without their secrets and pass ``check --deploy``;
security headers and the Content Security Policy apply everywhere; WhiteNoise is quiet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-test-secret-that-is-long-enough-and-random-9f8e7d6c5b4a3f2e1d0c9b8a",
    "DJANGO_ALLOWED_HOSTS": "trajectory.example.org",
    "DATABASE_URL": "sqlite:////tmp/trajectory-settings-test.sqlite3",
}


def run(code: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    return subprocess.run(
        [sys.executable, *args] if not code else [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


SETUP = "import django; django.setup(); from django.conf import settings as s; "


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = run(SETUP + "print('started')", env)
    assert result.returncode != 0 and "started" not in result.stdout
    assert f"{missing} must be set in the environment for production" in result.stderr


def test_production_refuses_an_empty_host_list():
    result = run(SETUP + "print('started')", {**PRODUCTION_ENV, "DJANGO_ALLOWED_HOSTS": " , "})
    assert result.returncode != 0 and "must name at least one host" in result.stderr


def test_check_deploy_reports_nothing():
    result = run("", PRODUCTION_ENV, "manage.py", "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings():
    code = SETUP + (
        "import json; print(json.dumps({"
        "'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'ssl': s.SECURE_SSL_REDIRECT,"
        "'hsts': s.SECURE_HSTS_SECONDS, 'sub': s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        "'preload': s.SECURE_HSTS_PRELOAD, 'session_secure': s.SESSION_COOKIE_SECURE,"
        "'csrf_secure': s.CSRF_COOKIE_SECURE, 'proxy': s.SECURE_PROXY_SSL_HEADER,"
        "'static': s.STORAGES['staticfiles']['BACKEND'], 'finders': s.WHITENOISE_USE_FINDERS,"
        "'cache': s.CACHES['default']['BACKEND'], 'mail': s.MAILERS['default']['BACKEND'],"
        "'csp': s.SECURE_CSP, 'formatter': s.LOGGING['formatters']['json']['()'],"
        "'exempt': s.SECURE_REDIRECT_EXEMPT}))"
    )
    result = run(code, PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["debug"] is False and values["hosts"] == ["trajectory.example.org"]
    assert values["ssl"] and values["session_secure"] and values["csrf_secure"]
    assert values["hsts"] >= 31536000 and values["sub"] and values["preload"]
    assert values["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["finders"] is False
    assert values["cache"] == "django.core.cache.backends.db.DatabaseCache"
    assert values["mail"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["formatter"] == "config.logging.JsonFormatter"
    assert values["exempt"] == ["^healthz$"]
    assert_strict(values["csp"])

    with_redis = run(
        SETUP + "print(s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'])",
        {**PRODUCTION_ENV, "REDIS_URL": "redis://127.0.0.1:6379/3"},
    )
    assert with_redis.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/3",
    ]


def test_development_has_the_policy_but_not_the_https_settings():
    result = run(
        SETUP + "import json; print(json.dumps([s.SECURE_CSP, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.DEBUG]))",
        {"DJANGO_SETTINGS_MODULE": "config.settings.development"},
    )
    csp, ssl, secure, hsts, debug = json.loads(result.stdout)
    assert_strict(csp)
    assert not ssl and not secure and not hsts and debug


def test_development_without_debug_gives_no_staticfiles_warning():
    result = run(
        "import warnings; warnings.simplefilter('error'); "
        "from django.core.wsgi import get_wsgi_application; get_wsgi_application(); print('ok')",
        {"DJANGO_SETTINGS_MODULE": "config.settings.development", "DJANGO_DEBUG": "0"},
    )
    assert result.stdout.strip() == "ok", result.stderr
    assert "No directory at" not in result.stderr


def assert_strict(csp: dict[str, list[str]]) -> None:
    for directive in ("default-src", "script-src", "style-src"):
        assert csp[directive] == ["'self'"], directive
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    text = json.dumps(csp)
    assert "unsafe" not in text and "*" not in text


# --- in this process (the test settings) --------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/healthz", "/compare/", "/definitely-not-here/"]
)
def test_every_response_has_the_security_headers(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy
    assert "style-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Request-ID"]
    assert "Strict-Transport-Security" not in response  # HTTPS settings are production's


def test_settings_in_every_environment():
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert len(settings.AUTH_PASSWORD_VALIDATORS) == 4


def test_plotly_css_is_what_the_bundle_would_inject():
    """static/css/plotly.css is made from the served bundle by scripts/plotly_css.py; after a
    plotly.js upgrade this fails until the script is run again."""
    bundle = ROOT / "static" / "vendor" / "plotly" / "plotly-basic.min.js"
    if not bundle.exists():
        pytest.skip(f"{bundle} is not built: run scripts/build_frontend.sh")
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import plotly_css
    finally:
        sys.path.pop(0)
    expected = plotly_css.stylesheet(bundle.read_text(encoding="utf-8"))
    actual = (ROOT / "static" / "css" / "plotly.css").read_text(encoding="utf-8")
    assert actual == expected, "run: .venv/bin/python scripts/plotly_css.py"
    assert ".js-plotly-plot .plotly .modebar{" in actual


def test_chart_pages_link_the_stylesheet_plotly_looks_for(client):
    from tests.factories import AuthorityFactory

    authority = AuthorityFactory()
    for url in (
        reverse("reports:authority", args=[authority.gss_code]),
        reverse("reports:compare"),
        reverse("reports:neighbours_grid", args=[authority.gss_code]),
    ):
        html = client.get(url).content.decode()
        assert (
            '<link rel="stylesheet" id="plotly.js-style-global" class="no-inline-styles" '
            'href="/static/css/plotly.css">'
        ) in html, url


def test_sqlite_writers_queue_and_postgresql_is_left_alone():
    """SQLite takes the write lock when a transaction begins and waits for it (so concurrent
    saves queue instead of failing: tests/production/test_live_server.py); PostgreSQL gets no
    SQLite options."""
    from config.settings.base import SQLITE_BUSY_TIMEOUT, database

    sqlite = database("sqlite:////tmp/anything.sqlite3")
    assert sqlite["OPTIONS"] == {"transaction_mode": "IMMEDIATE", "timeout": SQLITE_BUSY_TIMEOUT}
    assert settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" or (
        settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    )
    postgres = database("postgres://trajectory@db.example.org:5432/trajectory")
    assert "transaction_mode" not in postgres.get("OPTIONS", {})
    assert "timeout" not in postgres.get("OPTIONS", {})
    # PostgreSQL's JIT is off: compiling cost more than the page's query (see base.database).
    assert postgres["OPTIONS"]["options"] == "-c jit=off"


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
