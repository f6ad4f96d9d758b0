#!/usr/bin/env bash
# Builds the production image and runs what it holds against a real PostgreSQL: its migration entry on
# an empty database, then its server, checked through /api/health, a coupon book created and read back,
# a page with its static assets, the image's own HEALTHCHECK and a SIGTERM. Also lists the image's
# top-level contents and size and fails on a dev dependency, a .env or a test file inside it.
#
# There is no Docker engine on these machines: podman builds the image (`--isolation chroot`) and its
# files run through `podman image mount` + chroot, as the image's user, with the image's environment
# and working directory (TOOLCHAIN.md). Needs root for the mount and chroot.
#   bash scripts/container-smoke.sh   # SMOKE_PORT (3950), SMOKE_ADMIN_URL (postgres on 127.0.0.1),
#                                     # SMOKE_SKIP_BUILD=1 to check the image already built
set -euo pipefail
cd "$(dirname "$0")/.."

image=${SMOKE_IMAGE:-coupon-platform:smoke}
port=${SMOKE_PORT:-3950}
admin_url=${SMOKE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
database=container_smoke
database_url="${admin_url%/*}/$database"
max_image_mb=250
log=$(mktemp)
server_pid=
mounted=

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; [ -s "$log" ] && { echo "-- server log:" >&2; tail -n 40 "$log" >&2; }; exit 1; }
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -n "$mounted" ] && podman image unmount "$image" >/dev/null 2>&1 || true
  rm -f "$log"
}
trap cleanup EXIT

if ! command -v podman >/dev/null; then
  step "installing podman (Debian)"
  apt-get install -y podman || { apt-get update && apt-get install -y podman; }
fi
if ! podman image exists docker.io/library/node:20-bookworm-slim && ! podman pull -q docker.io/library/node:20-bookworm-slim >/dev/null 2>&1; then
  step "no registry: loading a local stand-in of node:20-bookworm-slim"
  bash scripts/container/node-base-stand-in.sh
fi

if [ "${SMOKE_SKIP_BUILD:-}" = 1 ] && podman image exists "$image"; then
  step "reusing $image (SMOKE_SKIP_BUILD=1)"
else
  step "podman build -t $image"
  # Docker's format: the OCI format drops HEALTHCHECK.
  podman build --isolation chroot --format docker -q -t "$image" . >/dev/null
fi

step "image contents"
root=$(podman image mount "$image"); mounted=1
inspect() { podman image inspect --format "$1" "$image"; }
workdir=$(inspect '{{.Config.WorkingDir}}')
user=$(inspect '{{.Config.User}}')
uid=$(awk -F: -v u="$user" '$1 == u { print $3 ":" $4 }' "$root/etc/passwd")
[ -n "$uid" ] && [ "$uid" != "0:0" ] || fail "the image must run as a non-root user (User is '$user')"
mapfile -t image_env < <(inspect '{{range .Config.Env}}{{println .}}{{end}}' | sed '/^$/d')
printf '%s\n' "${image_env[@]}" | grep -q '^PATH=' || image_env+=("PATH=/usr/local/bin:/usr/bin:/bin")
size_mb=$(( $(inspect '{{.Size}}') / 1000000 ))
echo "image $image: ${size_mb} MB (base and app); $workdir holds $(du -sh "$root$workdir" | cut -f1), user $user ($uid)"
[ "$size_mb" -lt "$max_image_mb" ] || fail "the image is ${size_mb} MB, over the ${max_image_mb} MB target"
# The same rules as the standalone output it was copied from: no dev dependency, .env or test file.
bash scripts/check-production-build.sh "$root$workdir" || fail "the image's $workdir fails the production build checks"

# Runs a command from the image's files as its user, in its working directory, with only its environment.
in_image() {
  chroot --userspec="$uid" "$root" /usr/bin/env -i "${image_env[@]}" "$@"
}
in_workdir() { in_image /bin/sh -c 'cd "$0" && exec "$@"' "$workdir" "$@"; }

step "no database configured: the server refuses to start"
if out=$(timeout 20 chroot --userspec="$uid" "$root" /usr/bin/env -i "${image_env[@]}" /bin/sh -c 'cd "$0" && exec node serve.cjs' "$workdir" 2>&1); then
  fail "serve.cjs started without a database"
fi
echo "$out"
grep -q "never starts a database" <<<"$out" || fail "no clear message without DATABASE_URL"

step "migration entry on an empty database"
psql "$admin_url" -q -v ON_ERROR_STOP=1 -c "drop database if exists $database with (force)" -c "create database $database"
first=$(in_workdir env DATABASE_URL="$database_url" node migrate.cjs) || fail "migrate.cjs failed: $first"
echo "$first"
grep -q "^Applied" <<<"$first" || fail "migrate.cjs applied nothing"
second=$(in_workdir env DATABASE_URL="$database_url" node migrate.cjs) || fail "migrate.cjs failed the second time: $second"
echo "$second"
grep -q "up to date" <<<"$second" || fail "a second migrate.cjs run was not a no-op"

step "server on :$port"
base="http://127.0.0.1:$port"
curl -s -o /dev/null "$base" && fail "something already listens on :$port (SMOKE_PORT)"
internal_token=$(openssl rand -hex 24)
# Started directly (not through a shell function), so that $! is the server itself once chroot, env and
# sh have exec'd: the SIGTERM below must reach node, as a container runtime's would.
chroot --userspec="$uid" "$root" /usr/bin/env -i "${image_env[@]}" DATABASE_URL="$database_url" \
  AUTH_SECRET="$(openssl rand -base64 33)" CODE_HASH_SECRET="$(openssl rand -base64 33)" INTERNAL_API_TOKEN="$internal_token" \
  PORT="$port" HOSTNAME=127.0.0.1 /bin/sh -c 'cd "$0" && exec node serve.cjs' "$workdir" >"$log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do curl -fsS "$base/api/health" >/dev/null 2>&1 && break; kill -0 "$server_pid" 2>/dev/null || fail "the server exited"; sleep 0.5; done
health=$(curl -fsS "$base/health") || fail "/health did not answer 200"
echo "$health"
[ "$(jq -r .database <<<"$health")" = connected ] || fail "/health does not say database: connected"

step "a coupon book created and served"
business=$(psql "$database_url" -qtA -c "insert into businesses (name) values ('Smoke Shop') returning id")
created=$(curl -fsS -X POST "$base/api/coupon-books" -H "Authorization: Bearer $internal_token" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Smoke book\",\"businessId\":\"$business\",\"discountType\":\"PERCENT\",\"discountValue\":10}") || fail "POST /api/coupon-books"
book=$(jq -r .id <<<"$created")
served=$(curl -fsS "$base/api/coupon-books/$book" -H "Authorization: Bearer $internal_token") || fail "GET /api/coupon-books/$book"
[ "$(jq -r '.name + " " + .status' <<<"$served")" = "Smoke book DRAFT" ] || fail "the book read back is not the one created: $served"
echo "book $book: $(jq -c '{name, status, discountType, discountValue}' <<<"$served")"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/api/coupon-books/$book")" = 401 ] || fail "an unauthenticated read was not refused"

step "a page and its static assets"
page=$(curl -fsS "$base/login") || fail "GET /login"
asset=$(grep -oE '/_next/static/[^"]+\.(css|js)' <<<"$page" | sed -n 1p)
[ -n "$asset" ] || fail "the login page links no static asset"
curl -fsS -o /dev/null "$base$asset" || fail "static asset $asset not served"
echo "/login 200, $asset 200"

step "the image's HEALTHCHECK"
mapfile -t check < <(podman image inspect --format '{{range .Config.Healthcheck.Test}}{{println .}}{{end}}' "$image" | sed '/^$/d')
[ "${check[0]:-}" = CMD ] || fail "no exec-form HEALTHCHECK in the image"
in_image env PORT="$port" "${check[@]:1}" || fail "HEALTHCHECK failed against a healthy server"
echo "HEALTHCHECK passes"

step "SIGTERM drains a request in flight"
# A generate call of 200,000 codes runs for seconds in one transaction; the signal comes in the middle.
drain_out=$(mktemp)
curl -sS -o "$drain_out" -w '%{http_code}' -X POST "$base/api/coupon-codes/generate" -H "Authorization: Bearer $internal_token" \
  -H 'Content-Type: application/json' -d "{\"couponBookId\":\"$book\",\"quantity\":200000,\"pattern\":\"SMK-{XXXXXX}\"}" >"$drain_out.status" &
curl_pid=$!
sleep 1
kill -0 "$curl_pid" 2>/dev/null || fail "the generate call ended before SIGTERM; nothing was in flight"
kill -TERM "$server_pid"
wait "$curl_pid" || true
[ "$(cat "$drain_out.status")" = 200 ] && [ "$(jq -r .generatedCount "$drain_out")" = 200000 ] \
  || fail "the request in flight at SIGTERM did not complete: HTTP $(cat "$drain_out.status")"
rm -f "$drain_out" "$drain_out.status"
status=0
timeout 20 tail --pid="$server_pid" -f /dev/null || fail "the server did not stop within 20 s of SIGTERM"
wait "$server_pid" || status=$?
server_pid=
[ "$status" = 143 ] || fail "exit status $status after SIGTERM, expected 143"
curl -s -o /dev/null "$base/api/health" && fail "still answering after SIGTERM"
grep -qE '"level":(50|60)' "$log" && fail "the server logged errors"
echo "the request in flight answered 200 (200,000 codes), then the server exited 143"

psql "$admin_url" -q -c "drop database if exists $database with (force)"
printf '\ncontainer smoke passed: %s, %s MB\n' "$image" "$size_mb"
