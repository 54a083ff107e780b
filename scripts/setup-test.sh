#!/usr/bin/env bash
# The system tools the test suite and the benchmark call, beyond the Python packages of the `test` and
# `bench` extras (which bring the `oxigraph` server binary). Debian packages are installed only if missing:
#   chromium  the browser tests (driven by Playwright through its executable path; no `playwright install`)
#   wrk       the benchmark's load generator (tests/integration/test_bench_*.py run both it and the httpx fallback)
#   java      HermiT, through owlready2 (`dci-kg reason`, tests/integration/test_reasoning.py)
#   virtuoso  Virtuoso Open Source 7.2 (virtuoso-t, isql-vt): the third store the integration suite runs on
#             (bench/servers.py starts its own on loopback; the package's system service is not used, and
#             DEBIAN_FRONTEND=noninteractive skips its debconf question for a DBA password)
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
