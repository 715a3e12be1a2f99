#!/usr/bin/env bash
# `make bench-load`: start the production stack on loopback (gunicorn with the production
# settings, PostgreSQL, Redis as the shared cache), run benchmarks/load.py against it, stop it.
#
# Benchmark-only settings, each documented in docs/operations.md:
#   SECURE_SSL_REDIRECT=false SECURE_COOKIES=false  plain HTTP on 127.0.0.1 (no TLS proxy here)
#   WITHHOLD_INTAKE_SUBMIT_RATE=1000000/60          the intake rate limit would refuse a burst
#                                                   from one address; the default stays 5/3600
# Overridable: BENCH_DATABASE_URL, BENCH_CACHE_URL, BENCH_PORT, WEB_WORKERS, and LOAD_ARGS
# (passed to load.py, e.g. LOAD_ARGS="--requests 3000 --concurrency 8" or "--edits-per-second 2").
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

export DJANGO_SETTINGS_MODULE=withhold.settings.production
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/withhold_load}"
export CACHE_URL="${BENCH_CACHE_URL:-redis://127.0.0.1:6379/13}"
export SECRET_KEY="$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(48))')"
export WITHHOLD_FIELD_KEYS="$($BIN/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
export SECURE_SSL_REDIRECT=false SECURE_COOKIES=false
export WITHHOLD_INTAKE_SUBMIT_RATE=1000000/60
export WITHHOLD_VAR_DIR="${WITHHOLD_VAR_DIR:-$PWD/var/bench-load}"
export REQUEST_LOG_LEVEL=WARNING   # one JSON line per request would cost the server CPU here
PORT="${BENCH_PORT:-8713}"
export WEB_BIND="127.0.0.1:$PORT"
mkdir -p "$WITHHOLD_VAR_DIR"

DB_NAME="${DATABASE_URL##*/}"
if ! psql "${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'" | grep -q 1; then
  createdb --maintenance-db="${DATABASE_URL%/*}/postgres" "$DB_NAME"
fi
$BIN/withhold collectstatic --noinput --verbosity 0
$BIN/withhold migrate --noinput --verbosity 0
$BIN/withhold load-reference >/dev/null
$BIN/withhold load-demo >/dev/null

LOG="$WITHHOLD_VAR_DIR/gunicorn.log"
$BIN/gunicorn -c python:withhold.operations.gunicorn_conf >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER" 2>/dev/null; then cat "$LOG"; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/readyz"; echo
echo "gunicorn: $(grep -c 'Booting worker' "$LOG") workers on $(nproc) CPUs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
PASSWORD="$($BIN/python -c 'import django; django.setup(); from withhold.accounts.demo import DEMO_PASSWORD; print(DEMO_PASSWORD)')"
# The screening API is called as the demo targeting analyst with an API token.
TOKEN="$($BIN/withhold token-issue targeter --scope write --days 1 --name bench-load 2>/dev/null)"
# With LOAD_ARGS="--edits-per-second N", the demo case analyst edits cases through the API.
EDITOR_TOKEN="$($BIN/withhold token-issue analyst --scope write --days 1 --name bench-load 2>/dev/null)"
# shellcheck disable=SC2086
$BIN/python benchmarks/load.py --url "http://127.0.0.1:$PORT" --username analyst \
  --password "$PASSWORD" --token "$TOKEN" --editor-token "$EDITOR_TOKEN" --server-pid "$SERVER" \
  ${LOAD_ARGS:-}
