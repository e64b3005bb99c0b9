"""/healthz, JSON log lines, request ids and the gunicorn configuration."""

from __future__ import annotations

import json
import logging
import runpy
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.test import RequestFactory

from config import health
from config.logging import JsonFormatter, RequestIdMiddleware, logging_config, request_id

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("broken", ["database", "cache"])
def test_unhealthy_is_503_naming_what_failed(client, broken, caplog):
    def fail() -> bool:
        raise RuntimeError(f"{broken} is down")

    with mock.patch.dict(health.CHECKS, {broken: fail}):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body[broken] == "error" and body["status"] == "error"
    other = "cache" if broken == "database" else "database"
    assert body[other] == "ok"
    assert f"{broken} is down" in caplog.text


@pytest.mark.django_db
def test_health_checks_really_query_the_database(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert health._database()


def test_health_is_get_only(client):
    assert client.post("/healthz").status_code == 405


def record(message: str = "hello %s", *args: object, **extra: object) -> logging.LogRecord:
    return logging.makeLogRecord(
        {"name": "trajectory.test", "levelname": "INFO", "levelno": 20, "msg": message,
         "args": args or ("world",), **extra}
    )  # fmt: skip


def test_json_formatter_writes_one_object_a_line():
    line = JsonFormatter().format(record(audit_action="sign_in", count=3))
    assert "\n" not in line
    payload = json.loads(line)
    assert payload["message"] == "hello world" and payload["level"] == "INFO"
    assert payload["logger"] == "trajectory.test" and payload["time"].endswith("+00:00")
    assert payload["audit_action"] == "sign_in" and payload["count"] == 3


def test_json_formatter_keeps_tracebacks_and_the_request_id():
    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    token = request_id.set("abc123")
    try:
        payload = json.loads(JsonFormatter().format(record(exc_info=exc_info)))
    finally:
        request_id.reset(token)
    assert payload["request_id"] == "abc123"
    assert "ValueError: boom" in payload["exception"]


def test_json_formatter_turns_gunicorn_access_lines_into_fields():
    atoms = {"h": "10.0.0.1", "m": "GET", "U": "/healthz", "q": "", "s": "200", "b": "49",
             "M": 3, "f": "-", "a": "curl/8"}  # fmt: skip
    access = logging.makeLogRecord(
        {"name": "gunicorn.access", "levelname": "INFO", "msg": "%(h)s", "args": ()}
    )
    access.args = atoms
    payload = json.loads(JsonFormatter().format(access))
    assert payload["message"] == "GET /healthz"
    assert payload["status"] == 200 and payload["bytes"] == 49 and payload["duration_ms"] == 3
    assert payload["remote_addr"] == "10.0.0.1" and "referer" not in payload


def test_django_request_objects_are_written_as_method_and_path():
    request = RequestFactory().get("/x?y=1")
    payload = json.loads(JsonFormatter().format(record(request=request, status_code=500)))
    assert payload["request"] == "GET /x?y=1" and payload["status_code"] == 500


def test_logging_config_sends_json_to_stdout():
    config = logging_config("WARNING")
    assert config["root"] == {"handlers": ["stdout"], "level": "WARNING"}
    assert config["handlers"]["stdout"]["stream"] == "ext://sys.stdout"
    assert config["formatters"]["json"]["()"] == "config.logging.JsonFormatter"
    assert config["loggers"]["django"] == {"handlers": [], "level": "WARNING", "propagate": True}


def test_request_ids_are_kept_when_sane_and_made_otherwise():
    seen = []

    def view(request):
        from django.http import HttpResponse

        seen.append(request_id.get())
        return HttpResponse()

    middleware = RequestIdMiddleware(view)
    factory = RequestFactory()
    response = middleware(factory.get("/", HTTP_X_REQUEST_ID="proxy-id-42"))
    assert response["X-Request-ID"] == "proxy-id-42" and seen[-1] == "proxy-id-42"
    response = middleware(factory.get("/", HTTP_X_REQUEST_ID="bad id\n<script>"))
    assert response["X-Request-ID"] != "bad id\n<script>" and len(response["X-Request-ID"]) == 32
    assert request_id.get() == ""  # nothing left behind after the request


def test_gunicorn_configuration_from_the_environment(monkeypatch):
    monkeypatch.setenv("PORT", "9123")
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    config = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    assert config["bind"] == "127.0.0.1:9123" and config["workers"] == 3
    assert config["accesslog"] == "-" and config["errorlog"] == "-"
    assert config["control_socket_disable"] is True
    formatter = config["logconfig_dict"]["formatters"]["json"]["()"]
    assert formatter == "config.logging.JsonFormatter"
    monkeypatch.delenv("WEB_CONCURRENCY")
    assert 1 <= runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))["workers"] <= 8
