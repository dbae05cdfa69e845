#!/usr/bin/env bash
# Installs the Python packages the tests run as servers, each given as MODULE=REQUIREMENT (aiosmtpd=aiosmtpd,
# moto.server='moto[server]'), with pip when python3 cannot import the module yet. Does nothing when all are there.
set -euo pipefail
missing=()
for pair in "$@"; do
    module="${pair%%=*}"
    requirement="${pair#*=}"
    python3 -c "import $module" 2>/dev/null || missing+=("$requirement")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-python-packages: installing ${missing[*]}"
python3 -m pip install --quiet "${missing[@]}" 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages "${missing[@]}"
