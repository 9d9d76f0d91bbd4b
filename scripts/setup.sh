#!/usr/bin/env bash
# One-command set-up: the system packages the notebooks and tests need — Jupyter, MathJax (the reports' math is
# typeset with it beforehand) and Chromium (that typesetting, the browser tests) — when they are missing, then
# `npm ci` (which compiles src/ to dist/). Idempotent: apt-get (update + install) runs only for missing packages.
#
#   bash scripts/setup.sh [--no-chromium] [--skip-npm]
#
# On Debian/Ubuntu it installs with apt-get as root or through sudo. Elsewhere it prints what to install
# (pip install notebook nbconvert) and exits 1 after npm ci if Jupyter is missing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

chromium=1
skip_npm=0
for arg in "$@"; do
  case "$arg" in
    --no-chromium) chromium=0 ;;
    --with-chromium) chromium=1 ;;
    --skip-npm) skip_npm=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "setup: unknown argument $arg" >&2; exit 2 ;;
  esac
done

os_id=""
if [ -r /etc/os-release ]; then
  # shellcheck disable=SC1091
  os_id="$(. /etc/os-release && echo " ${ID:-} ${ID_LIKE:-} ")"
fi

have_browser() {
  local p
  for p in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
    if [ -n "$p" ] && [ -x "$p" ]; then return 0; fi
  done
  return 1
}

packages=(jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel libjs-mathjax)
if [ "$chromium" = 1 ] && ! have_browser; then
  case "$os_id" in
    *" ubuntu "*) echo "setup: Ubuntu's chromium is a snap; install Chrome or Chromium yourself for the browser tests (set CHROMIUM_PATH)" ;;
    *) packages+=(chromium) ;;
  esac
fi

status=0
if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1 && [[ "$os_id" == *" debian "* || "$os_id" == *" ubuntu "* ]]; then
  missing=()
  for p in "${packages[@]}"; do
    if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)" != "installed" ]; then
      missing+=("$p")
    fi
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      sudo=()
    elif command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "setup: need root or sudo to install: ${missing[*]}" >&2
      exit 1
    fi
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
  else
    echo "setup: system packages already installed (${packages[*]})"
  fi
else
  if ! { command -v jupyter >/dev/null 2>&1 && jupyter nbconvert --version >/dev/null 2>&1; }; then
    echo "setup: no Jupyter with nbconvert found and this is not Debian/Ubuntu. Install it: pip install notebook nbconvert" >&2
    status=1
  fi
  if [ "$chromium" = 1 ] && ! have_browser; then
    echo "setup: for the browser tests install Chrome or Chromium and set CHROMIUM_PATH to it"
  fi
fi

if [ "$skip_npm" = 0 ]; then
  npm ci
fi
exit "$status"
