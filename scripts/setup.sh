#!/usr/bin/env bash
# Installs what adhere needs and is missing. Safe to run again: installs nothing that is there.
#   scripts/setup.sh          what building and running adhere needs (pkg-config, libxlsxwriter-dev)
#   scripts/setup.sh --tests  also what the tests need (openpyxl to read workbooks back,
#                             LibreOffice to check a workbook opens without repair and to print
#                             it to PDF, poppler-utils to read the PDF, and the Carlito font,
#                             metric-compatible with Excel's Calibri, so LibreOffice lays text out
#                             as Excel does)
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need_apt=()
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
pkg-config --exists xlsxwriter 2>/dev/null || need_apt+=(libxlsxwriter-dev)
if [ "${1:-}" = "--tests" ]; then
  command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-calc-nogui)
  command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
  fc-list 2>/dev/null | grep -q Carlito || need_apt+=(fonts-crosextra-carlito)
  command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-pip)
fi

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ "${1:-}" = "--tests" ] && ! python3 -c "import openpyxl" 2>/dev/null; then
  echo "setup: installing openpyxl (Python XLSX reader used by the tests)" >&2
  python3 -m pip install --quiet --disable-pip-version-check openpyxl \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages openpyxl
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "setup: the Swift toolchain (6.0 or later) is needed: https://www.swift.org/install/" >&2
  exit 1
fi
