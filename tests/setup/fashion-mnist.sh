#!/usr/bin/env bash
# Makes sure Debian's copy of the official Fashion-MNIST files is in /usr/share/datasets/fashion-mnist, which
# FashionMnist.Tests.ps1 reads. Installs the package when the folder is missing and this runs as root (as CI does).
set -euo pipefail
folder=/usr/share/datasets/fashion-mnist
[ -d "$folder" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "$folder is missing: run 'apt-get install dataset-fashion-mnist' as root (Debian 12 or later)." >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=900 update -qq
apt-get -o DPkg::Lock::Timeout=900 install -y -qq dataset-fashion-mnist >/dev/null
