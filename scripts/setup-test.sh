#!/usr/bin/env bash
# What the test suite needs beyond the Python packages (system packages are installed only if missing):
# Debian's chromium for the browser tests (driven by Playwright through its executable path; no browser
# download by `playwright install`).
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
    apt-get update
    apt-get install -y chromium
fi
