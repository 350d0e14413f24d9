#!/usr/bin/env bash
# Install the Debian packages the report needs: headless Chromium and fonts (browser tests and
# `measures report --format pdf`) and poppler-utils (the PDF tests read the PDF with pdfinfo).
# Run as root (or with sudo); does nothing when both are already there.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation fonts-dejavu-core poppler-utils >/dev/null
