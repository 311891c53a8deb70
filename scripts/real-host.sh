#!/usr/bin/env bash
# The real-host stage of `make test` (and so of CI), one part at a time:
#   scripts/real-host.sh saleor [pytest args]
#                                    the whole pytest suite (or the given paths/options) inside Saleor 3.23
#                                    (`pytest --saleor`) and `makemigrations --check --dry-run saleor_amazon_channel`
#                                    there (the stand-in host's is in `make test-python`)
#   scripts/real-host.sh dashboard   the walk through the real Saleor Dashboard 3.23 (scripts/real-dashboard.sh)
#   scripts/real-host.sh prepare     only what both need, made once and cached: Saleor's venv, the Dashboard build,
#                                    the database templates (scripts/test-all.sh runs it first, so that the two
#                                    parts, running at once in two lanes, never build the same cache together)
# Saleor comes from scripts/saleor-host.sh (see its header: SALEOR_VENDOR, SALEOR_SRC, SALEOR_CACHE). Another Saleor
# version (3.21, 3.22): SALEOR_SRC=<its checkout> SALEOR_VENV=<its venv> with a SALEOR_DATABASE_URL of its own (README,
# "Checking another Saleor version").
# Without Saleor's archive (or SALEOR_SRC) the part is SKIPPED with a message saying how to enable it, except in CI
# (CI=true), where a missing archive fails like any other failure. A failed install always fails.
# Environment: SALEOR_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/amazon_channel_saleor): the server, and
# the prefix of the databases the stage drops and recreates: "<name>_test" (pytest), "<name>_walk" (the walk) and the
# templates they are cloned from, "<name>_tpl_<key>…" (scripts/saleor-db.sh).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
part=${1:?usage: scripts/real-host.sh saleor [pytest args]|dashboard|prepare}
shift
case $part in
  saleor) what="the suite inside real Saleor 3.23 (make test-saleor)" ;;
  dashboard) what="the walk through the real Saleor Dashboard 3.23 (make test-real-dashboard)" ;;
  prepare) what="the real-host stage (make test-saleor, make test-real-dashboard)" ;;
  *) echo "usage: scripts/real-host.sh saleor [pytest args]|dashboard|prepare" >&2; exit 2 ;;
esac
started=$(date +%s)

status=0
host_env=$(scripts/saleor-host.sh "$([ "$part" = prepare ] && echo dashboard || echo "$part")") || status=$?
if [ "$status" = 3 ]; then
  if [ "${CI:-}" = true ]; then
    echo "FAILED: the real-host stage cannot run in CI: no Saleor 3.23 archive (see above). $what did not run." >&2
    exit 1
  fi
  cat >&2 <<EOF

SKIPPED: $what
  No Saleor 3.23 found: scripts/saleor-host.sh looks for ../shared/vendor/saleor-3.23.tar.gz and
  saleor-dashboard-3.23-build.tar.gz beside this repository. To enable this stage, put the shared folder there, or set
  SALEOR_VENDOR=/folder/with/the/archives, or SALEOR_SRC=/your/saleor/checkout (with SALEOR_DASHBOARD_BUILD for the walk).
  CI (CI=true) fails instead of skipping.

EOF
  exit 0
elif [ "$status" != 0 ]; then
  echo "FAILED: installing Saleor 3.23 for the real-host stage (scripts/saleor-host.sh exit $status)" >&2
  exit "$status"
fi
eval "$host_env"

if [ "$part" = prepare ]; then
  scripts/saleor-db.sh templates
elif [ "$part" = saleor ]; then
  db_url=${SALEOR_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/amazon_channel_saleor}
  export SALEOR_DATABASE_URL=$db_url
  # The test database pytest-django uses ("<name>_test", tests/hosts/saleor.py): a fresh clone of a migrated Saleor
  # (scripts/saleor-db.sh; Saleor's default channel in it, which the fixtures never rely on); pytest-django applies
  # our migrations to it (--reuse-db keeps what is there and migrates the rest).
  scripts/saleor-db.sh migrated "${db_url##*/}_test"
  echo "== pytest --saleor (Saleor $("$SALEOR_PYTHON" -c 'import sys; sys.path.insert(0, sys.argv[1]); import saleor; print(saleor.__version__)' "$SALEOR_DIR") in $SALEOR_DIR)" >&2
  DATABASE_URL=$db_url "$SALEOR_PYTHON" -m pytest --saleor --reuse-db -p no:randomly -q "$@"
  # The stand-in host's check is in `make test-python`.
  echo "== makemigrations --check --dry-run saleor_amazon_channel (Saleor)" >&2
  (cd "$SALEOR_DIR" && DATABASE_URL=$db_url DJANGO_SETTINGS_MODULE=saleor.tests.settings \
    "$SALEOR_PYTHON" manage.py makemigrations --check --dry-run saleor_amazon_channel)
else
  scripts/real-dashboard.sh
fi
echo "== real host, $part: passed in $(( $(date +%s) - started )) s" >&2
