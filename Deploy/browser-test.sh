#!/usr/bin/env bash
# The front desk's browser tests: a real headless Chromium (Debian's chromium and chromium-driver,
# installed when missing) driven by Selenium (from PyPI, in a virtual environment), against
# `crm serve --demo` on a throwaway SQLite file.
#
#   bash Deploy/browser-test.sh [path/to/crm]                        # the tests
#   bash Deploy/browser-test.sh [path/to/crm] --screenshots DIR      # also the screenshots
set -euo pipefail
cd "$(dirname "$0")/.."
crm=${1:-.build/debug/crm}
shift || true

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver >&2
fi
venv=.build/venv-browser
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import selenium' 2>/dev/null || "$venv/bin/pip" install -q 'selenium==4.51.0'

"$venv/bin/python" Tests/Browser/front_desk.py --crm "$crm" "$@"
