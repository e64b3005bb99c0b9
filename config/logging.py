"""Structured logs: one JSON object a line on stdout, with the request's id when there is one.

``JsonFormatter`` is used by Django's ``LOGGING`` in production and by gunicorn
(``config/gunicorn.conf.py``), so the platform collecting stdout gets one format. Gunicorn's
access lines become fields (method, path, status, duration...) rather than one string.
``RequestIdMiddleware`` takes the id a proxy sends in ``X-Request-ID`` (or makes one), puts it on
every log line written while the request is handled, and returns it in the response.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

request_id: ContextVar[str] = ContextVar("request_id", default="")

REQUEST_ID_HEADER = "X-Request-ID"
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

# Attributes every LogRecord has: anything else on a record came through ``extra``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}

# Gunicorn's access atoms, renamed.
_ACCESS_FIELDS = {
    "h": "remote_addr",
    "m": "method",
    "U": "path",
    "q": "query",
    "s": "status",
    "b": "bytes",
    "M": "duration_ms",
    "f": "referer",
    "a": "user_agent",
}


def _jsonable(value: Any) -> Any:
    if isinstance(value, HttpRequest):
        return f"{value.method} {value.get_full_path()}"
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time (UTC, ISO 8601), level, logger, message, the
    request id, anything passed in ``extra``, and the traceback if there is one."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            atoms = record.args
            payload["message"] = f"{atoms.get('m', '-')} {atoms.get('U', '-')}"
            for atom, name in _ACCESS_FIELDS.items():
                value = str(atoms.get(atom, "-"))
                if value in ("-", ""):
                    continue
                numeric = name in ("status", "bytes", "duration_ms") and value.isdigit()
                payload[name] = int(value) if numeric else value
        else:
            payload["message"] = record.getMessage()
        current = request_id.get()
        if current:
            payload["request_id"] = current
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and key not in payload:
                payload[key] = _jsonable(value)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            payload["stack"] = self.formatStack(record.stack_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


class RequestIdMiddleware:
    """Gives each request an id for its log lines: the proxy's ``X-Request-ID`` if it is sane,
    else a new one; sent back in the response's ``X-Request-ID``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        current = given if SANE_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(current)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[REQUEST_ID_HEADER] = current
        return response


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """Django's ``LOGGING`` for production: everything as JSON lines on stdout."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "config.logging.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # Django's own handlers (console in debug, mail to admins) give way to the root's.
            "django": {"handlers": [], "level": level, "propagate": True},
            "django.server": {"handlers": [], "level": level, "propagate": True},
        },
    }


def gunicorn_logging_config(level: str = "INFO") -> dict[str, Any]:
    """Gunicorn's ``logconfig_dict``: the same JSON lines, its error and access logs included."""
    config = logging_config(level)
    config["loggers"] = {
        name: {"level": level, "handlers": ["stdout"], "propagate": False}
        for name in ("gunicorn.error", "gunicorn.access")
    }
    return config
