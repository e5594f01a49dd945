#!/usr/bin/env bash
# Installs Debian's headless-capable chromium for the report screenshot test (Report.Tests.ps1).
# Does nothing when chromium is already on PATH; installs only when running as root (CI on a fresh Debian 12),
# so a developer's machine is never changed behind their back. Exits non-zero when chromium is still missing.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
    echo "chromium is not installed and this is not root: install Debian's 'chromium' package to run the screenshot test." >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=900 update -qq
apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
command -v chromium >/dev/null
