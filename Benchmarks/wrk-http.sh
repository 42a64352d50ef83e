# Shared by the HTTP benchmarks (api.sh, pos.sh): sourced, not run.
#
#   need_debian wrk sqlite3            # installs what is missing from Debian
#   port=$(free_port); wait_up "$port" [any]
#   wrk_record ENGINE ROUTE SIDE ROUND "$(wrk … --latency …)" >> results.jsonl

need_debian() {
  local missing=()
  for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ ${#missing[@]} = 0 ] && return 0
  echo "== installing ${missing[*]} (Debian)" >&2
  local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# Waits for /healthz on the port (with `any`, for any answer at all: the bare server has no /healthz).
wait_up() {
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    [ "${2:-}" = any ] && curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
    sleep 0.1
  done
  echo "server on $1 did not start" >&2; exit 1
}

# One wrk run as a JSON line: requests per second, p50 and p99 in ms, requests, non-2xx answers.
wrk_record() {
  python3 - "$@" <<'PY'
import json, re, sys
engine, route, side, round_, out = sys.argv[1:]
def ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
print(json.dumps({"engine": engine, "route": route, "side": side, "round": int(round_),
                  "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
                  "p50": ms(re.search(r"\s50%\s+(\S+)", out).group(1)), "p99": ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
                  "requests": int(re.search(r"(\d+) requests in", out).group(1)), "non2xx": int(errors.group(1)) if errors else 0}))
PY
}
