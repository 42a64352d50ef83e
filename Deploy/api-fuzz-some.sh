#!/usr/bin/env bash
# Fuzzes the served API against its own OpenAPI document with schemathesis (from PyPI), every
# check on, for a bounded number of examples per operation; exits non-zero on any finding.
# Serves a throwaway embedded instance (SQLite, demo tenant) with the binary the tests built,
# signs in for a real token, issues an operator token and a till's device key, and stops the server at exit.
#
#   bash Deploy/api-fuzz.sh [path/to/crm]      # CRM_FUZZ_EXAMPLES (default 20) per operation
set -euo pipefail
cd "$(dirname "$0")/.."
crm=${1:-.build/debug/crm}
examples=${CRM_FUZZ_EXAMPLES:-20}
venv=.build/venv-schemathesis
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'schemathesis==4.32.5'
fi

work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
database="sqlite:$work/crm.sqlite"
export CRM_FUZZ_METRICS_TOKEN=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
# With a secret key, as a production server has: secret settings (an SMS password) can be stored.
export CRM_SECRET_KEY=$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')
CRM_BCRYPT_COST=4 CRM_METRICS_TOKEN=$CRM_FUZZ_METRICS_TOKEN "$crm" serve --demo --port "$port" --database-url "$database" >"$work/serve.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for _ in $(seq 1 300); do
  grep -q '^CRM is serving' "$work/serve.log" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; echo "the server did not start" >&2; exit 1; }
  sleep 0.2
done
password=$(grep -o 'password "[^"]*"' "$work/serve.log" | head -n 1 | cut -d'"' -f2)
[ -n "$password" ] || { cat "$work/serve.log"; echo "no demo sign-in printed" >&2; exit 1; }
base="http://127.0.0.1:$port"
export CRM_FUZZ_TOKEN=$(curl -sf "$base/api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"tenant\":\"demo\",\"email\":\"owner@demo.example\",\"password\":\"$password\"}" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
export CRM_FUZZ_OPERATOR_TOKEN=$("$crm" operator issue-token --label fuzz --days 1 --database-url "$database" 2>/dev/null |
  grep -o 'crmo_[A-Za-z0-9_-]*' | head -n 1)
# The till's key belongs to a tenant of its own: the fuzzed owner lists and revokes the demo
# tenant's tills (the run may chain a listed id into a revocation), which must not end the key
# that the POS routes are fuzzed with.
till=$(curl -sf "$base/api/v1/operator/tenants" -H "authorization: Bearer $CRM_FUZZ_OPERATOR_TOKEN" -H 'content-type: application/json' \
  -d '{"slug":"fuzz-till","name":"Fuzz Till","sector":"retail","owner":{"email":"owner@till.example","name":"Till Owner","password":"uzun-kasa-parolasi-2026"}}')
till_branch=$(echo "$till" | python3 -c 'import json, sys; print(json.load(sys.stdin)["branch"]["id"])')
till_token=$(curl -sf "$base/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"tenant":"fuzz-till","email":"owner@till.example","password":"uzun-kasa-parolasi-2026"}' |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
export CRM_FUZZ_DEVICE_KEY=$(curl -sf "$base/api/v1/pos-devices" -H "authorization: Bearer $till_token" -H 'content-type: application/json' \
  -d "{\"name\":\"fuzz till\",\"branchId\":\"$till_branch\"}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])')
[ -n "$CRM_FUZZ_TOKEN" ] && [ -n "$CRM_FUZZ_OPERATOR_TOKEN" ] && [ -n "$CRM_FUZZ_DEVICE_KEY" ] || { echo "could not get tokens" >&2; exit 1; }

# Signing out would end the token the run uses; everything else is fair game. Strings are UTF-8
# text: a JSON string holding half of a surrogate pair is no Unicode text, and the server answers
# such a body 400 invalid_json (JSON allows the escape; RFC 8259 §8.2 leaves its meaning open).
"$venv/bin/schemathesis" --config-file Deploy/schemathesis.toml run "$base/api/v1/openapi.yaml" --url "$base" \
  --checks all --include-operation-id posLookup --include-operation-id createPosSale --include-operation-id addStampCard --include-operation-id listStampCards --include-operation-id retireStampCard --include-operation-id getCustomerStamps --include-operation-id createCampaign --max-examples "$examples" --workers 1 --exclude-operation-id logout --generation-codec utf-8 \
  --seed "${CRM_FUZZ_SEED:-20261201}" --no-color
