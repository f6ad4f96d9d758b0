import { pathToFileURL } from "node:url";
import { preparePeers, selectPeers } from "./index";

/**
 * `npm run bench:peers:prepare [-- nest,express] [-- --force]`: fetches each peer's source at its
 * pinned commit (from GitHub, or BENCH_PEER_<NAME>_GIT), installs it with its own package manager
 * and builds it under BENCH_PEERS_DIR (default ~/.cache/coupon-bench-peers). The only step of the
 * peers' recipe that downloads; `npm run bench:http -- --peers` then runs without the network.
 */
function main() {
  const argv = process.argv.slice(2);
  const list = argv.find((a) => !a.startsWith("--"));
  preparePeers(selectPeers(["--peers", ...(list ? [list] : [])])!, { force: argv.includes("--force") });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
