#!/usr/bin/env bash
# `npm run check:lockfile`: package-lock.json is in sync with package.json and lists every platform's
# optional binaries, which `npm ci` on macOS, Windows, CI and Docker needs. npm rewrites the lockfile
# from package.json without installing anything; any change means the committed one was stale.
set -euo pipefail
cd "$(dirname "$0")/.."
backup="$(mktemp)"
cp package-lock.json "$backup"
trap 'cp "$backup" package-lock.json; rm -f "$backup"' EXIT
npm install --package-lock-only --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
if ! cmp -s "$backup" package-lock.json; then
  echo "package-lock.json is out of sync with package.json. Run \`npm install --package-lock-only\` and commit the result:" >&2
  entries='const l=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));for(const [k,v] of Object.entries(l.packages))console.log(k+"@"+(v.version??""))'
  diff <(node -e "$entries" "$backup" | sort) <(node -e "$entries" package-lock.json | sort) | head -20 >&2 || true
  exit 1
fi
echo "Lockfile check: package-lock.json matches package.json"
