#!/usr/bin/env bash
# Run the test suite against PostgreSQL: `make test-postgres`.
#
# With NHACVIEC_TEST_DATABASE_URL set, that server is used as it is (each test creates its
# own fresh database on it). Without it, a throw-away cluster is started on 127.0.0.1 from
# the newest PostgreSQL found in /usr/lib/postgresql (Debian's `apt-get install postgresql`),
# with trust authentication on loopback only, and removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}

if [[ -n "${NHACVIEC_TEST_DATABASE_URL:-}" ]]; then
    exec "$PYTHON" -m pytest "$@"
fi

BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$BIN" ]]; then
    echo "Không tìm thấy PostgreSQL (cài bằng: apt-get install postgresql)" >&2
    exit 1
fi
PORT=${NHACVIEC_TEST_PG_PORT:-55432}
DIR=$(mktemp -d /tmp/nhacviec-pg.XXXXXX)
as_owner() {
    # The server refuses to run as root: root hands the cluster to the postgres account.
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[[ $(id -u) -eq 0 ]] && chown postgres "$DIR"
cleanup() {
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap cleanup EXIT
as_owner "$BIN/initdb" -D "$DIR/data" -U postgres -A trust --no-sync >"$DIR/initdb.log"
# Tests run in parallel with nothing: fsync off and many connections are for speed, not
# for production. Each test's engine keeps a small pool open until the session ends.
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -o \
    "-h 127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500" \
    start >/dev/null
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') trên 127.0.0.1:$PORT"
NHACVIEC_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres" \
    "$PYTHON" -m pytest "$@"
