#!/usr/bin/env bash
# A bounded load test: gunicorn on 127.0.0.1 serving the benchmark database, and wrk sending a
# mix of read pages for a fixed time. Prints requests per second, latency percentiles and errors,
# and fails if any request errored. Only ever targets this machine's loopback address.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${LOAD_PORT:-18765}
DURATION=${LOAD_DURATION:-20s}
CONNECTIONS=${LOAD_CONNECTIONS:-8}
WORKERS=${LOAD_WORKERS:-3}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/trajectory_bench}
export DJANGO_SETTINGS_MODULE=config.settings.development
export DJANGO_DEBUG=0
export DJANGO_ALLOWED_HOSTS=127.0.0.1

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null || true; fi
  command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
fi

# Pages to request: the home page, authority pages, chart fragments (as htmx requests, as the
# page's chart form sends them), compare and league.
codes=$(.venv/bin/python manage.py shell -c "
from authorities.models import Authority
print(' '.join(Authority.objects.filter(active_to__isnull=True).order_by('gss_code').values_list('gss_code', flat=True)[:20]))
" 2>/dev/null | tail -1)
[ -n "$codes" ] || { echo "No authorities in $DATABASE_URL: run make bench first"; exit 1; }
first12=$(echo "$codes" | tr ' ' '\n' | head -12 | sed 's/^/authority=/' | paste -sd '&')
script=$(mktemp --suffix=.lua)
{
  echo 'paths = {'
  echo '  {"/", false},'
  echo '  {"/league/?indicator=agency_sw_pct", false},'
  echo "  {\"/compare/?indicator=agency_sw_pct&$first12\", false},"
  for code in $codes; do
    echo "  {\"/authorities/$code/\", false},"
    echo "  {\"/authorities/$code/?indicator=avg_caseload&neighbours=median\", true},"
  done
  echo '}'
  cat <<'LUA'
counter = 0
htmx = {["HX-Request"] = "true"}
request = function()
  counter = counter + 1
  local entry = paths[(counter % #paths) + 1]
  if entry[2] then return wrk.format("GET", entry[1], htmx) end
  return wrk.format("GET", entry[1])
end
errors = 0
response = function(status, headers, body)
  if status >= 400 then errors = errors + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("requests: %d, per second: %.1f\n", summary.requests, summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({50, 90, 95, 99}) do
    io.write(string.format("latency p%d: %.1f ms\n", p, latency:percentile(p) / 1000))
  end
  local failed = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("errors: %d (socket %d, HTTP status >= 400: %d)\n", failed, failed - summary.errors.status, summary.errors.status))
end
LUA
} > "$script"

if curl -s -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; then
  echo "Something already answers on 127.0.0.1:$PORT: set LOAD_PORT to a free port"; exit 1
fi
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" --log-level warning &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$script"' EXIT
for _ in $(seq 1 40); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null && break
  sleep 0.5
done

echo "wrk: $CONNECTIONS connections, $DURATION, gunicorn with $WORKERS workers, $DATABASE_URL"
out=$(wrk --threads 2 --connections "$CONNECTIONS" --duration "$DURATION" --timeout 10s \
  --script "$script" "http://127.0.0.1:$PORT")
echo "$out" | sed -n '/^requests:/,$p'
echo "$out" | grep -q '^errors: 0 ' || { echo "load test: some requests failed"; exit 1; }
