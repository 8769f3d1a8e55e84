#!/usr/bin/env bash
# Debian packages outside Python that parts of wijknet need (sourced by run.sh and test.sh).
#
#   need_debian "<what it is for>" <check command> <package>...
#
# Runs the check; when it fails, installs the packages with apt-get if this runs as root, and otherwise prints
# the one command to run and returns 1 (the caller decides whether that stops it).

need_debian() {
  local what=$1 check=$2
  shift 2
  if bash -c "$check" >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing $* ($what)…" >&2
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "${_WIJKNET_APT_UPDATED:-}" ]; then
      apt-get update -qq >&2
      _WIJKNET_APT_UPDATED=1
    fi
    apt-get install -y -qq "$@" >/dev/null
    return 0
  fi
  echo "$what needs: sudo apt-get install $*" >&2
  return 1
}

# The PDF brief: WeasyPrint lays it out with the system's pango, in DejaVu Sans, and draws emoji in a name or a
# coach's note with Noto Color Emoji (without it an emoji prints as an empty box; chromium draws the eco-map's
# labels with the same fonts).
PDF_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 fontconfig fonts-dejavu-core fonts-noto-color-emoji)
PDF_CHECK='"${WIJKNET_VENV:-.venv}/bin/python" -c "import weasyprint" && fc-list | grep -q "DejaVu Sans" && fc-list | grep -q "Noto Color Emoji"'
