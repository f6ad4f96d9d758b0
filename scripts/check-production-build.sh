#!/usr/bin/env bash
# `next build` passes with the production env and no database, and its standalone output (what the
# container image copies and Vercel-like hosts run) holds only what production needs.
#
#   bash scripts/check-production-build.sh [--build] [DIR]
#
#   --build  run `npm run build` first, with NODE_ENV=production, VERCEL=1, no secrets, no Redis, and
#            DATABASE_URL pointing at a local listener that counts the connections it receives: the
#            build fails the check if it opened even one (a connection whose error some code swallows
#            included), which an unreachable URL alone would not show.
#            BUILD_COMMAND replaces `npm run build` (e.g. `npx next build --webpack && npx tsx scripts/postbuild.ts`).
#   DIR      the standalone output to inspect (default .next/standalone, the result of `npm run build`)
#
# Checks on DIR: server.js is there; node_modules is a real directory (no symlink out of DIR: the
# output must be self-contained); no embedded PostgreSQL, no dev tool and no devDependency of
# package.json anywhere under it; no .env file; no test file; its size is under STANDALONE_MAX_MB
# (default 80; about 36 MB today, half of it next). Prints its top-level contents, its
# size and its ten largest packages. Exit 0 when every check passes, 1 otherwise, 2 on bad usage.
set -euo pipefail
# Lists are cut with sed -n, not head: a head that stops reading fails its pipeline (SIGPIPE) under pipefail.
cd "$(dirname "$0")/.."

usage() { sed -n '4,18p' "$0" | sed 's/^# \{0,1\}//'; }

build=0
dir=.next/standalone
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=1 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
    *) dir=$1 ;;
  esac
  shift
done
max_mb=${STANDALONE_MAX_MB:-80}

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok:   $*"; }

if [ "$build" = 1 ]; then
  echo "== build (production env, no database, no secrets, no Redis)"
  work=$(mktemp -d)
  # Accepts and drops every connection, one byte per connection in the log; prints its port once listening.
  node -e '
    const fs = require("node:fs"), net = require("node:net");
    const [log, portFile] = process.argv.slice(1);
    net.createServer((socket) => { fs.appendFileSync(log, "x"); socket.destroy(); })
      .listen(0, "127.0.0.1", function () { fs.writeFileSync(portFile, String(this.address().port)); });
  ' "$work/connections" "$work/port" &
  listener=$!
  trap 'kill "$listener" 2>/dev/null || true; rm -rf "$work"' EXIT
  for _ in $(seq 1 50); do [ -s "$work/port" ] && break; sleep 0.1; done
  [ -s "$work/port" ] || { echo "the connection-counting listener did not start" >&2; exit 1; }
  : >"$work/connections"
  env -u REDIS_URL -u UPSTASH_REDIS_REST_URL -u UPSTASH_REDIS_REST_TOKEN -u AUTH_SECRET -u CODE_HASH_SECRET \
    -u INTERNAL_API_TOKEN -u INNGEST_SIGNING_KEY -u INNGEST_EVENT_KEY -u INNGEST_DEV \
    NODE_ENV=production VERCEL=1 NEXT_TELEMETRY_DISABLED=1 \
    DATABASE_URL="postgres://nobody@127.0.0.1:$(cat "$work/port")/none" \
    bash -c "${BUILD_COMMAND:-npm run build}"
  connections=$(wc -c <"$work/connections")
  if [ "$connections" -eq 0 ]; then
    pass "the build opened no database connection"
  else
    fail "the build opened $connections connection(s) to DATABASE_URL: some page or config reads the database at build time"
  fi
fi

echo "== standalone output: $dir"
if [ ! -f "$dir/server.js" ]; then
  echo "FAIL: $dir/server.js is missing: run \`npm run build\` first (next.config.ts must keep output: \"standalone\")"
  exit 1
fi

# Next copies a node_modules that resolves outside the tracing root (a symlinked node_modules, as in
# a git worktree sharing another checkout's install) as a link, so the output would run only on this
# machine. Every link must stay inside DIR.
outside=$(find "$dir" -type l -print0 | while IFS= read -r -d '' link; do
  target=$(readlink -f "$link" || true)
  case "$target" in "$(readlink -f "$dir")"/*) ;; *) echo "$link -> $target" ;; esac
done)
if [ -z "$outside" ]; then
  pass "self-contained (no symlink out of the output)"
else
  fail "symlinks leave the output (build in a checkout with its own node_modules, e.g. after npm ci):"
  echo "$outside" | sed -n "1,5p" | sed 's/^/      /'
fi

# Packages that must never reach production: the embedded PostgreSQL (npm run dev/test only), the
# TypeScript runner and bundlers the scripts use, test runners, drizzle-kit; plus every devDependency.
forbidden=$(
  {
    printf '%s\n' embedded-postgres '@embedded-postgres/*' tsx esbuild '@esbuild/*' vitest '@vitest/*' \
      playwright playwright-core '@playwright/*' drizzle-kit
    node -e 'for (const name of Object.keys(require("./package.json").devDependencies ?? {})) console.log(name)'
  } | sort -u
)
found=""
while IFS= read -r name; do
  [ -n "$name" ] || continue
  hits=$(find "$dir" -path "*/node_modules/$name" -prune -print 2>/dev/null | sed -n "1,3p")
  [ -z "$hits" ] || found+="$hits"$'\n'
done <<<"$forbidden"
if [ -z "$found" ]; then
  pass "no embedded PostgreSQL, dev tool or devDependency"
else
  fail "packages that production must not carry (find which import pulls them in: grep the .nft.json files under .next/server):"
  printf '%s' "$found" | sed 's/^/      /'
fi

envs=$(find "$dir" -name '.env' -o -name '.env.*' ! -name '*.example' ! -name '*.sample' ! -name '*.template' | sed -n "1,5p")
if [ -z "$envs" ]; then
  pass "no .env file"
else
  # next build copies .env and .env.production from the project into the output.
  fail ".env files in the output (next build copies .env/.env.production when they exist at build time):"
  echo "$envs" | sed 's/^/      /'
fi

tests=$(find "$dir" -name '*.test.*' -o -name '*.spec.*' -o -path '*/e2e/*' -o -path '*/db/testing/*' | sed -n "1,5p")
if [ -z "$tests" ]; then
  pass "no test file"
else
  fail "test files in the output:"
  echo "$tests" | sed 's/^/      /'
fi

kb=$(du -sk "$dir" | cut -f1)
mb=$(((kb + 1023) / 1024))
if [ "$mb" -le "$max_mb" ]; then
  pass "size ${mb} MB (limit ${max_mb} MB, STANDALONE_MAX_MB)"
else
  fail "size ${mb} MB is over ${max_mb} MB (STANDALONE_MAX_MB): see the largest packages below"
fi

echo "== top level"
ls -A "$dir" | sed 's/^/  /'
if [ -d "$dir/node_modules" ] && [ ! -L "$dir/node_modules" ]; then
  echo "== largest packages"
  { find "$dir/node_modules" -mindepth 1 -maxdepth 1 -type d ! -name '@*' ! -name '.*' -print0
    find "$dir/node_modules" -mindepth 2 -maxdepth 2 -type d -path "$dir/node_modules/@*/*" -print0
  } | xargs -0 -r du -sk | sort -rn | sed -n "1,10p" |
    awk -v root="$dir/node_modules/" '{ sub(root, "", $2); printf "  %6.1f MB  %s\n", $1 / 1024, $2 }'
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "production build checks passed"
