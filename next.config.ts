import type { NextConfig } from "next";
import { API_CONTENT_SECURITY_POLICY, commonSecurityHeaders } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  output: "standalone",
  // Native/server-only packages stay out of the bundle and are traced into the standalone output.
  serverExternalPackages: ["postgres", "busboy", "ioredis", "pino", "prom-client"],
  // sharp and its libvips (~20 MB) stay out of .next/standalone, which the image copies: no page uses
  // next/image, and `unoptimized` keeps one added later from reaching for it.
  outputFileTracingExcludes: { "*": ["node_modules/sharp/**", "node_modules/@img/**"] },
  images: { unoptimized: true },
  // Load balancers probe /health (seed 003); the handler lives under /api.
  async rewrites() {
    return [{ source: "/health", destination: "/api/health" }];
  },
  // Pages get their CSP (with a nonce) from proxy.ts; `next build` runs with NODE_ENV=production.
  async headers() {
    const common = commonSecurityHeaders({ production: process.env.NODE_ENV === "production" });
    return [
      { source: "/:path*", headers: common },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
      { source: "/health", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
  poweredByHeader: false,
};

export default nextConfig;
