#!/usr/bin/env bash
# Regenerates docs/screenshots/: the new-order screen (carpet, car wash) and the scan screen at
# phone (390×844) and desktop (1440×900) sizes, taken by the browser tests as they run.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product crm
bash Deploy/browser-test.sh "$(swift build --show-bin-path)/crm" --screenshots docs/screenshots
