#!/usr/bin/env bash
# A fresh Saleor database for the real-host stage, cloned (seconds) from a template made once per Saleor archive
# (Saleor's migrations take minutes):
#   scripts/saleor-db.sh migrated <database>    Saleor's migrations, as `manage.py migrate` leaves them (Saleor's
#                                               default channel included; ours are applied by whoever uses it)
#   scripts/saleor-db.sh populated <database>   the same with populatedb's sample data (no images) and its staff user
#                                               admin@example.com / admin
#   scripts/saleor-db.sh templates              only make both templates when missing (scripts/real-host.sh prepare)
# Needs scripts/saleor-host.sh's assignments in the environment (SALEOR_DIR, SALEOR_PYTHON, SALEOR_KEY) and
# SALEOR_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/amazon_channel_saleor): its server, and its name
# as the prefix of the templates "<name>_tpl_<key>" and "<name>_tpl_<key>_populated" (dropped and remade by this
# script only; templates of other keys with the same prefix are dropped). <database> is dropped and recreated.
set -euo pipefail
kind=${1:?usage: scripts/saleor-db.sh migrated|populated|templates <database>}
case $kind in migrated|populated|templates) ;; *) echo "usage: scripts/saleor-db.sh migrated|populated|templates <database>" >&2; exit 2 ;; esac
if [ "$kind" = templates ]; then target=; else target=${2:?usage: scripts/saleor-db.sh migrated|populated|templates <database>}; fi
: "${SALEOR_DIR:?run scripts/saleor-host.sh first}" "${SALEOR_PYTHON:?}" "${SALEOR_KEY:?}"
db_url=${SALEOR_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/amazon_channel_saleor}
server=${db_url%/*}
base=${db_url##*/}
migrated=${base}_tpl_${SALEOR_KEY//-/_}
populated=${migrated}_populated
log() { echo "[saleor-db $(date +%T)] $*" >&2; }
sql() { psql -q -v ON_ERROR_STOP=1 "$server/postgres" "$@"; }
exists() { [ "$(psql -tA "$server/postgres" -c "select 1 from pg_database where datname = '$1'")" = 1 ]; }
if [ -z "${RSA_PRIVATE_KEY:-}" ]; then  # Saleor requires one outside DEBUG; any will do for migrate and populatedb
  RSA_PRIVATE_KEY=$("$SALEOR_PYTHON" -c 'from cryptography.hazmat.primitives.asymmetric import rsa; from cryptography.hazmat.primitives import serialization as s; print(rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(s.Encoding.PEM, s.PrivateFormat.TraditionalOpenSSL, s.NoEncryption()).decode())')
  export RSA_PRIVATE_KEY
fi
manage() {
  (cd "$SALEOR_DIR" && DATABASE_URL=$server/$1 DJANGO_SETTINGS_MODULE=saleor.settings SECRET_KEY=real-host-templates \
    DEBUG=False ALLOWED_HOSTS=localhost ALLOWED_CLIENT_HOSTS=localhost "$SALEOR_PYTHON" manage.py "${@:2}")
}

if ! exists "$migrated"; then
  log "migrate Saleor into the template $migrated (once per Saleor archive; minutes)"
  for old in $(psql -tA "$server/postgres" -c "select datname from pg_database where datname like '${base}\\_tpl\\_%'"); do
    sql -c "drop database if exists \"$old\""
  done
  sql -c "create database \"${migrated}_tmp\""
  manage "${migrated}_tmp" migrate -v0
  # Saleor's alone: ours are applied to every clone, so a changed migration of ours never meets a stale template.
  manage "${migrated}_tmp" migrate -v0 saleor_amazon_channel zero
  sql -c "alter database \"${migrated}_tmp\" rename to \"$migrated\""
fi
if [ "$kind" != migrated ] && ! exists "$populated"; then
  log "populatedb into the template $populated (once per Saleor archive)"
  sql -c "drop database if exists \"${populated}_tmp\"" -c "create database \"${populated}_tmp\" template \"$migrated\""
  # populatedb resets every installed app's sequences, ours included: our tables exist while it runs.
  manage "${populated}_tmp" migrate -v0 saleor_amazon_channel
  manage "${populated}_tmp" populatedb --withoutimages --createsuperuser >/dev/null
  manage "${populated}_tmp" migrate -v0 saleor_amazon_channel zero
  sql -c "alter database \"${populated}_tmp\" rename to \"$populated\""
fi
case $kind in
  templates) log "templates ready: $migrated, $populated"; exit 0 ;;
  migrated) template=$migrated ;;
  populated) template=$populated ;;
  *) echo "usage: scripts/saleor-db.sh migrated|populated <database>" >&2; exit 2 ;;
esac
sql -c "drop database if exists \"$target\"" -c "create database \"$target\" template \"$template\""
log "$target: a clone of $template"
