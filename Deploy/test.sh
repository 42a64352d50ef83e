#!/usr/bin/env bash
# Runs every test, on SQLite and on PostgreSQL. On a fresh machine it installs what it needs:
# a throwaway PostgreSQL cluster (Debian's package when missing), started on a free port and
# removed at exit, Python virtual environments to validate the OpenAPI document and to check
# invoices with GİB's UBL-TR rules, and Chromium with Selenium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

eval "$(Deploy/throwaway-postgres.sh start)"
trap 'Deploy/throwaway-postgres.sh stop "$CRM_PG_DIR"' EXIT
export CRM_TEST_REQUIRE_POSTGRES=1
echo "== PostgreSQL $("$CRM_PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$CRM_PG_PORT (throwaway, removed at exit)"

echo "== OpenAPI document"
python=python3
if ! python3 -c 'import yaml, openapi_spec_validator' 2>/dev/null; then
  venv=.build/venv-openapi
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install -q openapi-spec-validator pyyaml
  python="$venv/bin/python"
fi
"$python" -c 'import yaml; from openapi_spec_validator import validate; validate(yaml.safe_load(open("Contracts/openapi.yaml"))); print("Contracts/openapi.yaml is a valid OpenAPI 3.1 document")'

echo "== protocol peers for the tests (aiosmtpd: an SMTP server with STARTTLS and AUTH; openpyxl: reads the .xlsx statements)"
peers=.build/venv-peers
[ -x "$peers/bin/python" ] || python3 -m venv "$peers"
"$peers/bin/python" -c 'import aiosmtpd, openpyxl' 2>/dev/null || "$peers/bin/pip" install -q aiosmtpd openpyxl
export CRM_TEST_PYTHON="$PWD/$peers/bin/python"

echo "== GİB's UBL-TR checks for the invoice tests (efatura-kontrol: GİB's XSD and schematron, offline)"
efatura=.build/venv-efatura
[ -x "$efatura/bin/python" ] || python3 -m venv "$efatura"
[ -x "$efatura/bin/efatura-kontrol" ] || "$efatura/bin/pip" install -q 'efatura-kontrol==0.1.0'
export CRM_EFATURA_KONTROL="$PWD/$efatura/bin/efatura-kontrol" CRM_TEST_REQUIRE_EFATURA=1

echo "== build"
swift build --build-tests

# Suites that hold real leases and run worker processes go first, on their own: alongside the
# whole run on two cores they would get slices of seconds, and their waits would measure the load.
echo "== tests: the queue engine (leases, timeouts, shutdown), on its own"
swift test --skip-build --filter 'QueueTests'
echo "== tests: the command line and worker processes (kills, restarts, two servers)"
swift test --skip-build --filter 'CLITests'
echo "== tests: the account and invoices (workers, concurrent writers, GİB's checks in Python), on their own"
swift test --skip-build --filter 'AccountsTests'
echo "== tests: every other suite (storage, kernel, notifications, API; each on sqlite and on postgres)"
swift test --skip-build --skip 'QueueTests|CLITests|AccountsTests'


echo "== the front desk in a real browser (headless Chromium, Selenium)"
bash Deploy/browser-test.sh "$(swift build --show-bin-path)/crm"

echo "== the served API fuzzed against its OpenAPI document (schemathesis, every check)"
bash Deploy/api-fuzz.sh "$(swift build --show-bin-path)/crm"

echo "== all tests passed on sqlite and postgres in $(( $(date +%s) - started ))s"
