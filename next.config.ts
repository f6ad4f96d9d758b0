import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  output: "standalone",
  // Native/server-only packages stay out of the bundle and are traced into the standalone output.
  serverExternalPackages: ["postgres", "busboy", "ioredis", "pino", "prom-client"],
  // Load balancers probe /health (seed 003); the handler lives under /api.
  async rewrites() {
    return [{ source: "/health", destination: "/api/health" }];
  },
  poweredByHeader: false,
};

export default nextConfig;
