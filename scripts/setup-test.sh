#!/usr/bin/env bash
# What the test suite needs beyond the Python packages (system packages are installed only if missing).
set -euo pipefail
true
