#!/usr/bin/env bash
# The real host for the real-host stage: Saleor 3.23 and its virtual environment (from Saleor's uv.lock) with this
# checkout installed in it (editable), and the built Saleor Dashboard 3.23, all cached OUTSIDE the repository.
#
#   scripts/saleor-host.sh [saleor|dashboard]   builds what is missing (the Dashboard build only with "dashboard", the
#                                 default), then prints shell exports on stdout (eval them):
#                                 SALEOR_DIR (Saleor's source tree, run manage.py there), SALEOR_PYTHON (its venv's
#                                 python), SALEOR_DASHBOARD (the Dashboard build's folder, index.html inside),
#                                 SALEOR_KEY (what the cache is keyed on)
#
# Sources (the first that is set wins):
#   SALEOR_SRC=/path/to/saleor          your own Saleor checkout (with uv.lock); used in place, never modified
#   SALEOR_VENDOR=/path/to/vendor       a folder with saleor-3.23.tar.gz and saleor-dashboard-3.23-build.tar.gz
#   default                             ../shared/vendor beside this repository (CI copies shared/ there)
#   SALEOR_DASHBOARD_BUILD=/path        a built Dashboard (folder holding index.html) instead of the vendored build
#   SALEOR_VENV=/path/to/venv           with SALEOR_SRC: your own venv of that Saleor, used as it is (this checkout is
#                                       still installed into it, editable); required for a Saleor locked with
#                                       Poetry (3.21: poetry.lock, no uv.lock). README: "Checking another Saleor version"
# Cache: SALEOR_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/saleor-amazon-channel):
#   saleor-3.23-<archive sha256, 12>/saleor          the unpacked source (rebuilt when the archive changes)
#   saleor-3.23-<key>/venv-<checkout path hash>      one venv per checkout (the editable install points at it)
#   dashboard-3.23-<archive sha256, 12>/dashboard    the unpacked Dashboard build
# Needs Python 3.12 (PYTHON), uv (installed into the cache when missing) and the package registry (PyPI).
# Exit status 3: no Saleor source or Dashboard build found (the caller decides whether that skips or fails).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
vendor=${SALEOR_VENDOR:-$(dirname "$repo")/shared/vendor}
cache=${SALEOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/saleor-amazon-channel}
# pyenv's shim for python3.12 exists even when 3.12 is not selected (the Makefile asks the same way).
py=${PYTHON:-}
if [ -z "$py" ]; then
  for candidate in $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3.12 2>/dev/null | sort -V | tail -n1) python3.12 python3; do
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then py=$candidate; break; fi
  done
fi
[ -n "$py" ] || { echo "[saleor-host] Python 3.12 is required (set PYTHON)" >&2; exit 3; }
log() { echo "[saleor-host $(date +%T)] $*" >&2; }
sha12() { sha256sum "$1" | cut -c1-12; }
mkdir -p "$cache"

# --- Saleor's source tree
if [ -n "${SALEOR_SRC:-}" ]; then
  src=$(cd "$SALEOR_SRC" && pwd)
  # Saleor 3.21 and older lock with Poetry (poetry.lock, no uv.lock): give those a venv of your own (SALEOR_VENV).
  lock=$src/uv.lock
  [ -f "$lock" ] || [ -z "${SALEOR_VENV:-}" ] || lock=$src/poetry.lock
  [ -f "$lock" ] && [ -f "$src/manage.py" ] || {
    log "SALEOR_SRC=$SALEOR_SRC has no manage.py, or no uv.lock (a Poetry-locked Saleor needs SALEOR_VENV)"; exit 3; }
  key=src-$(sha12 "$lock")-$(echo "$src" | sha256sum | cut -c1-8)
  home=$cache/saleor-3.23-$key
  mkdir -p "$home"
else
  archive=$vendor/saleor-3.23.tar.gz
  [ -f "$archive" ] || { log "no Saleor archive at $archive (set SALEOR_VENDOR or SALEOR_SRC)"; exit 3; }
  key=$(sha12 "$archive")
  home=$cache/saleor-3.23-$key
  src=$home/saleor
  if [ ! -f "$home/.unpacked" ]; then
    log "unpack $archive into $home"
    rm -rf "$home" && mkdir -p "$home"
    tar xzf "$archive" -C "$home"
    [ -f "$src/uv.lock" ] || { log "the archive has no saleor/uv.lock"; exit 1; }
    touch "$home/.unpacked"
  fi
fi

# --- the Dashboard build
need=${1:-dashboard}
if [ "$need" = saleor ]; then
  dashboard=
elif [ -n "${SALEOR_DASHBOARD_BUILD:-}" ]; then
  dashboard=$(cd "$SALEOR_DASHBOARD_BUILD" && pwd)
else
  dash_archive=$vendor/saleor-dashboard-3.23-build.tar.gz
  [ -f "$dash_archive" ] || { log "no Dashboard build at $dash_archive (set SALEOR_VENDOR or SALEOR_DASHBOARD_BUILD)"; exit 3; }
  dash_home=$cache/dashboard-3.23-$(sha12 "$dash_archive")
  dashboard=$dash_home/dashboard
  if [ ! -f "$dash_home/.unpacked" ]; then
    log "unpack $dash_archive"
    rm -rf "$dash_home" && mkdir -p "$dash_home"
    tar xzf "$dash_archive" -C "$dash_home"
    touch "$dash_home/.unpacked"
  fi
fi
[ "$need" = saleor ] || [ -f "$dashboard/index.html" ] || { log "no index.html in the Dashboard build $dashboard"; exit 3; }

# --- uv (Saleor's lock is uv's)
uv=${UV:-$(command -v uv || true)}
if [ -z "$uv" ] || ! "$uv" --version >/dev/null 2>&1; then
  if [ ! -x "$cache/uv/bin/uv" ]; then
    log "install uv into $cache/uv"
    rm -rf "$cache/uv"
    "$py" -m venv "$cache/uv"
    "$cache/uv/bin/python" -m pip install -q uv
  fi
  uv=$cache/uv/bin/uv
fi

# --- Saleor's venv, one per checkout (an editable install points at one checkout)
venv=$home/venv-$(echo "$repo" | sha256sum | cut -c1-8)
if [ -n "${SALEOR_VENV:-}" ]; then
  venv=$(cd "$SALEOR_VENV" && pwd)
  if [ ! -f "$venv/req.txt" ] && [ -f "$src/uv.lock" ]; then
    (cd "$src" && "$uv" export -q --frozen --no-hashes --no-dev --no-emit-project >"$venv/req.txt" \
      && "$uv" export -q --frozen --no-hashes --only-dev --no-emit-project >"$venv/req-dev.txt")
  elif [ ! -f "$venv/req.txt" ]; then
    # No uv.lock to export: what the venv holds is Saleor's lock, so it constrains what this checkout adds.
    "$uv" pip freeze -q --python "$venv/bin/python" --exclude-editable >"$venv/req.txt" && : >"$venv/req-dev.txt"
  fi
elif [ ! -f "$venv/.ready" ]; then
  log "build Saleor's venv from its uv.lock in $venv (a minute or two)"
  rm -rf "$venv"
  "$uv" venv -q -p "$py" "$venv"
  (cd "$src" && "$uv" export -q --frozen --no-hashes --no-dev --no-emit-project >"$venv/req.txt" \
    && "$uv" export -q --frozen --no-hashes --only-dev --no-emit-project >"$venv/req-dev.txt")
  VIRTUAL_ENV=$venv "$uv" pip install -q -r "$venv/req.txt" -r "$venv/req-dev.txt"
  VIRTUAL_ENV=$venv "$uv" pip install -q --no-deps -e "$src"
  touch "$venv/.ready"
fi
# This checkout, every time (cheap; picks up changes to pyproject.toml). Saleor's locked versions win (-c): only
# the test tools the suite needs beyond Saleor's own are added (the lint tools of the `test` extra are not needed here).
# (flock: the two real-host parts may run at once in scripts/test-all.sh's lanes)
VIRTUAL_ENV=$venv flock "$venv/.install-lock" "$uv" pip install -q -e "$repo" 'import-linter>=2' 'hypothesis>=6.100,<7' 'pytest-django>=4.9' \
  -c "$venv/req.txt" -c "$venv/req-dev.txt"

printf 'export SALEOR_DIR=%q SALEOR_PYTHON=%q SALEOR_DASHBOARD=%q SALEOR_KEY=%q\n' "$src" "$venv/bin/python" "$dashboard" "$key"
