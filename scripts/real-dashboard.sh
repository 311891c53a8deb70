#!/usr/bin/env bash
# The walk through the real Saleor Dashboard 3.23 (scripts/walk-real-dashboard.mjs), set up and torn down here:
#   1. Saleor's database "<SALEOR_DATABASE_URL's name>_walk": a clone of a template with Saleor's migrations,
#      populatedb's sample data and its superuser admin@example.com / admin (scripts/saleor-db.sh: made once per
#      Saleor archive, cloned in seconds); our migrations, the plugin configured for the Amazon emulator, the app
#      installed (amazon_channel_install_app);
#   2. the Amazon emulator, Saleor under uvicorn (ASGI), the vendored Dashboard build under /dashboard/ with its
#      API address rewritten at serve time, each on a free port;
#   3. the walk in headless Chromium: every screen, axe-core inside the extension's frame in en/fr × light/dark;
#      it puts items for some of Saleor's variants (their SKUs, read from Saleor's API) in the emulator's catalog,
#      sells them (listings, Saleor's price and stock changes, rules) and reads the result on the emulated Amazon
#      (scripts/walk/*.mjs); screenshots and walk-report.json in screenshots/real-dashboard/;
#   4. everything it started is stopped (trap), and it exits non-zero when a step failed, axe found a serious or
#      critical violation, or a request of the extension failed.
# Needs: scripts/saleor-host.sh's cache (built here when missing), dashboard-extension/node_modules (playwright-core,
# axe-core: make node-deps), the built extension (make dashboard), Debian's chromium (make browser), PostgreSQL.
# Environment: SALEOR_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/amazon_channel_saleor: the server, and
# the prefix of the databases this script drops and recreates), WALK_RUNS (time-to-first-card runs, 2),
# CHROMIUM (/usr/bin/chromium), WALK_SHOTS (screenshots/real-dashboard).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
log() { echo "[real-dashboard $(date +%T)] $*" >&2; }

host_env=$(scripts/saleor-host.sh)
eval "$host_env"
py=$SALEOR_PYTHON

db_url=${SALEOR_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/amazon_channel_saleor}
export SALEOR_DATABASE_URL=$db_url
scripts/saleor-db.sh populated "${db_url##*/}_walk"
export DATABASE_URL=${db_url}_walk

export DJANGO_SETTINGS_MODULE=saleor.settings SECRET_KEY=real-dashboard-walk-secret DEBUG=False
export ALLOWED_HOSTS=localhost,127.0.0.1 ALLOWED_CLIENT_HOSTS=localhost,127.0.0.1
RSA_PRIVATE_KEY=$("$py" -c 'from cryptography.hazmat.primitives.asymmetric import rsa; from cryptography.hazmat.primitives import serialization as s; print(rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(s.Encoding.PEM, s.PrivateFormat.TraditionalOpenSSL, s.NoEncryption()).decode())')
export RSA_PRIVATE_KEY
manage() { (cd "$SALEOR_DIR" && "$py" manage.py "$@"); }

free_port() { "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
saleor_port=$(free_port); dashboard_port=$(free_port); emulator_port=$(free_port)
saleor_url=http://localhost:$saleor_port
emulator_url=http://127.0.0.1:$emulator_port
export PUBLIC_URL=$saleor_url DASHBOARD_URL=http://localhost:$dashboard_port/dashboard/
export AMAZON_CHANNEL_SELLER_CENTRAL_URL=$emulator_url AMAZON_CHANNEL_LWA_TOKEN_URL=$emulator_url/auth/o2/token
export AMAZON_CHANNEL_SP_API_URL=$emulator_url
AMAZON_CHANNEL_ENCRYPTION_KEYS=$("$py" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
export AMAZON_CHANNEL_ENCRYPTION_KEYS
app_id=amzn1.sellerapps.app.5a1e0000-walk-4000-8000-000000000001
client_id=amzn1.application-oa2-client.walk0000000000000000000000000001
client_secret=amzn1.oa2-cs.v1.walk-secret-only-for-the-local-emulator

log "our migrations, the plugin's configuration, the app"
manage migrate -v0
manage shell -c "
from saleor.plugins.models import PluginConfiguration
from saleor_amazon_channel import PLUGIN_ID, PLUGIN_NAME
PluginConfiguration.objects.update_or_create(identifier=PLUGIN_ID, channel=None, defaults={'name': PLUGIN_NAME, 'active': True, 'configuration': [
    {'name': 'application_id', 'value': '$app_id'}, {'name': 'lwa_client_id', 'value': '$client_id'},
    {'name': 'lwa_client_secret', 'value': '$client_secret'}, {'name': 'draft_app', 'value': False}]})
"
manage amazon_channel_install_app

logs=$(mktemp -d "${TMPDIR:-/tmp}/real-dashboard.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$py" -m amazon_emulator --port "$emulator_port" --quiet --seed-demo --app-id "$app_id" --app-name "Saleor Amazon Sales Channel (walk)" \
  --client-id "$client_id" --client-secret "$client_secret" \
  --redirect-uri "$saleor_url/plugins/global/saleor_amazon_channel/oauth/callback" \
  --login-uri "$saleor_url/plugins/global/saleor_amazon_channel/oauth/login" >"$logs/emulator.log" 2>&1 &
pids+=($!)
(cd "$SALEOR_DIR" && exec "$py" -m uvicorn saleor.asgi:application --host 127.0.0.1 --port "$saleor_port" --log-level warning) \
  >"$logs/saleor.log" 2>&1 &
pids+=($!)
"$py" scripts/serve-dashboard.py --root "$SALEOR_DASHBOARD" --port "$dashboard_port" --api-url "$saleor_url/graphql/" \
  >"$logs/dashboard.log" 2>&1 &
pids+=($!)

wait_for() {
  for _ in $(seq 1 240); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { log "a server died; logs in $logs"; tail -n 30 "$logs"/*.log >&2; return 1; }; done
    sleep 0.5
  done
  log "$1 did not answer in 2 minutes; logs in $logs"; tail -n 30 "$logs"/*.log >&2; return 1
}
wait_for "$emulator_url/apps/manage"
wait_for "$saleor_url/plugins/global/saleor_amazon_channel/manifest"
wait_for "http://localhost:$dashboard_port/dashboard/"
log "Saleor $saleor_url, Dashboard http://localhost:$dashboard_port/dashboard/, emulator $emulator_url (logs: $logs)"

shots=${WALK_SHOTS:-$repo/screenshots/real-dashboard}
rm -rf "$shots" && mkdir -p "$shots"
status=0
node scripts/walk-real-dashboard.mjs --dashboard "http://localhost:$dashboard_port/dashboard/" \
  --email admin@example.com --password admin \
  --axe "$repo/dashboard-extension/node_modules/axe-core/axe.min.js" \
  --playwright "$repo/dashboard-extension/node_modules/playwright-core" \
  --chromium "${CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}" \
  --emulator "$emulator_url" --api "$saleor_url/graphql/" --shots "$shots" --runs "${WALK_RUNS:-2}" >/dev/null || status=$?
log "walk done (exit $status); screenshots and walk-report.json in ${shots#"$repo"/}"
exit $status
