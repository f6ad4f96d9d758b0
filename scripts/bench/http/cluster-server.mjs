// A standalone server under Node's cluster module, for cpu.ts's --server (issue 15's experiment: does
// a second server process help on this machine?). Not how the app is deployed: see docs/benchmarks.md,
// "A second server process".
//   CLUSTER_SERVER_JS=.next/standalone/server.js CLUSTER_WORKERS=2 … cpu.ts --server two=scripts/bench/http/cluster-server.mjs
import cluster from "node:cluster";
import path from "node:path";
import { pathToFileURL } from "node:url";

const workers = Number(process.env.CLUSTER_WORKERS || 2);
if (cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  const stop = (signal) => {
    for (const worker of Object.values(cluster.workers)) worker.process.kill(signal);
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  cluster.on("exit", () => {
    if (Object.keys(cluster.workers).length === 0) process.exit(0);
  });
} else {
  await import(pathToFileURL(path.resolve(process.env.CLUSTER_SERVER_JS)).href);
}
