#!/usr/bin/env bash
# Checks the alert rules and the dashboard (deploy/prometheus, deploy/grafana):
#   promtool check rules, promtool test rules (unit tests), promtool check config on the example
#   prometheus.yml, then deploy/prometheus/check-promql.mjs (every query uses an exported metric,
#   runbook anchors exist, each alert has a firing and a non-firing test, the dashboard is valid).
# promtool comes from Debian's prometheus package, installed here when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v promtool >/dev/null 2>&1; then
  echo "promtool not found: installing Debian's prometheus package (it ships promtool)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # Wait for another apt run instead of failing on its lock; refresh the lists only when needed.
  apt_install() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends prometheus; }
  apt_install || { $sudo apt-get -o DPkg::Lock::Timeout=600 update && apt_install; }
fi
promtool --version | head -n 1

echo "== promtool check rules"
promtool check rules deploy/prometheus/rules/*.yml

echo "== promtool test rules"
promtool test rules deploy/prometheus/tests/*.test.yml

echo "== promtool check config (example prometheus.yml with its rule files)"
# credentials_file must exist for the check; a placeholder stands in for the real METRICS_TOKEN.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r deploy/prometheus/prometheus.yml deploy/prometheus/rules "$tmp/"
mkdir "$tmp/secrets"
echo placeholder-token > "$tmp/secrets/metrics-token"
promtool check config "$tmp/prometheus.yml"

echo "== PromQL names, runbook links, test coverage, dashboard"
node deploy/prometheus/check-promql.mjs
