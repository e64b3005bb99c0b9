"""Gunicorn's settings for ``make serve`` (``gunicorn -c config/gunicorn.conf.py config.wsgi``).

Everything site-specific comes from the environment: ``PORT`` (8000) and ``HOST`` (0.0.0.0) say
where to listen, ``WEB_CONCURRENCY`` how many worker processes (default: 2 per CPU + 1, at most
8), ``GUNICORN_THREADS`` threads per worker (1), ``GUNICORN_TIMEOUT`` seconds before a stuck
worker is restarted (30), ``FORWARDED_ALLOW_IPS`` which proxies may set X-Forwarded-* headers
(127.0.0.1), ``GUNICORN_CONTROL_SOCKET`` a path for gunicorn's control socket (off without
it). Access and error logs go to stdout as JSON lines (``config.logging``).
"""

import multiprocessing
import os

from config.logging import gunicorn_logging_config

_cpus = multiprocessing.cpu_count()

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", str(min(2 * _cpus + 1, 8))))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter), so slow leaks cannot pile up.
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Workers start from a clean import each; nothing is shared between them but the database and
# the cache.
preload_app = False

# Gunicorn's control socket (for ``gunicornc``) lives at one path per user, so two servers on
# one machine would fight over it: off unless GUNICORN_CONTROL_SOCKET names a path for this one.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = gunicorn_logging_config()
