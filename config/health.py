"""``/healthz``: is this web process able to serve? It checks the database and the cache."""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("trajectory.health")


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache() -> bool:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    try:
        return cache.get(key) == "ok"
    finally:
        cache.delete(key)


CHECKS = {"database": _database, "cache": _cache}


@never_cache
@require_safe  # GET, and HEAD for load balancers
def healthz(request: HttpRequest) -> JsonResponse:
    """200 and ``{"database": "ok", "cache": "ok", "status": "ok"}`` when every check passes;
    503 with the failing checks marked "error" otherwise."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "error"
        except Exception:
            logger.exception("Health check %s failed", name)
            results[name] = "error"
    healthy = all(result == "ok" for result in results.values())
    results["status"] = "ok" if healthy else "error"
    return JsonResponse(results, status=200 if healthy else 503)
