#!/usr/bin/env bash
# Loads a local stand-in for docker.io/library/node:<tag> where no registry is reachable (these CI
# machines), so the Dockerfile builds unchanged; real builds pull the real image. Based on
# ../shared/tools/node-base-image.sh (the host's node and npm, sh, a `node` user, the registry CA
# settings) plus all of Debian's libc6, libgcc-s1 and libstdc++6, as the real bookworm-slim image has
# them: native modules link more of libc than node itself does (lightningcss needs librt).
# Usage: node-base-stand-in.sh [tag]
set -euo pipefail
tag=${1:-20-bookworm-slim}
name="docker.io/library/node:$tag"
podman image exists "$name" && { echo "$name present"; exit 0; }
root=$(mktemp -d); trap 'rm -rf "$root" "$root.tar"' EXIT

copy_with_libs() { # a binary and the libraries it links
  cp -L "$1" "$root$2"
  for lib in $(ldd "$1" 2>/dev/null | grep -oE '/[^ ]+'); do
    mkdir -p "$root$(dirname "$lib")"; cp -Ln "$lib" "$root$lib" 2>/dev/null || true
  done
}

mkdir -p "$root/usr/local/bin" "$root/tmp" "$root/etc/ssl/certs" "$root/bin" "$root/usr/bin" "$root/home/node"
copy_with_libs "$(command -v node)" /usr/local/bin/node
for b in sh bash cat ls mkdir rm cp chown id env; do p=$(command -v "$b") && copy_with_libs "$p" "/bin/$b"; done
ln -s /bin/env "$root/usr/bin/env"
for pkg in libc6 libgcc-s1 libstdc++6; do
  dpkg -L "$pkg" 2>/dev/null | grep -E '^/(usr/)?lib' | while read -r f; do
    if [ -f "$f" ] || [ -L "$f" ]; then mkdir -p "$root$(dirname "$f")"; cp -an "$f" "$root$f"; fi
  done
done
cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/" 2>/dev/null || true
mkdir -p "$root/usr/local/lib/node_modules" "$root/usr/local/etc"
cp -r "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$root/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
cat /usr/etc/npmrc /root/.npmrc 2>/dev/null > "$root/usr/local/etc/npmrc" || true
printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\nnobody:x:65534:65534::/nonexistent:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' > "$root/etc/group"
chown 1000:1000 "$root/home/node"; chmod 1777 "$root/tmp"
tar -C "$root" -cf "$root.tar" . && podman import -q "$root.tar" "$name" >/dev/null
echo "$name loaded (local stand-in)"
