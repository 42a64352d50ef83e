#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks: a temporary folder, a free port on
# 127.0.0.1, a non-superuser role `crm` (so that row-level security applies to it) owning a
# database `crm`. Installs Debian's postgresql package when no server is present.
#
#   eval "$(Deploy/throwaway-postgres.sh start)"   # exports CRM_PG_DIR, CRM_PG_BIN, CRM_PG_PORT,
#                                                 # CRM_TEST_POSTGRES_URL
#   Deploy/throwaway-postgres.sh stop "$CRM_PG_DIR"
#
# initdb and postgres refuse to run as root: as root, they run as the `postgres` system user.
set -euo pipefail

server_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/postgres" ] && echo "$dir"
  done | sort -V | tail -n 1
}

install_server() {
  echo "PostgreSQL server not found; installing Debian's postgresql package" >&2
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
}

as_server_user() {
  if [ "$(id -u)" = 0 ]; then
    (cd /tmp && runuser -u postgres -- "$@")
  else
    (cd /tmp && "$@")
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local bin dir port
  bin=$(server_bin)
  if [ -z "$bin" ]; then
    install_server
    bin=$(server_bin)
  fi
  [ -n "$bin" ] || { echo "no PostgreSQL server after installing" >&2; exit 1; }
  dir=$(mktemp -d /tmp/crm-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  port=$(free_port)
  as_server_user "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # Durability is not needed for a cluster thrown away after the tests; benchmarks keep it
  # (CRM_PG_DURABLE=1) so that what they measure is what a production server would do.
  local fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${CRM_PG_DURABLE:-0}" = 1 ] && fast=""
  as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $fast -c max_connections=300" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  as_server_user "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE crm LOGIN CREATEDB PASSWORD 'crm'" -c "CREATE DATABASE crm OWNER crm" >&2
  echo "export CRM_PG_DIR='$dir' CRM_PG_BIN='$bin' CRM_PG_PORT='$port'"
  echo "export CRM_TEST_POSTGRES_URL='postgres://crm:crm@127.0.0.1:$port/crm?sslmode=disable'"
}

stop() {
  local dir=${1:?usage: stop DIR}
  local bin
  bin=$(server_bin)
  if [ -d "$dir/data" ]; then
    as_server_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
