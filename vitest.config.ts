import { defineConfig } from "vitest/config";

const alias = { "@": import.meta.dirname };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["{lib,db,scripts}/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["{lib,db,app,scripts,tests}/**/*.int.test.ts"],
          environment: "node",
          globalSetup: ["db/testing/global-setup.ts"],
          setupFiles: ["db/testing/setup.ts"],
          // One database, truncated between tests: files run one at a time; each test fires its own parallel load.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          env: {
            NODE_ENV: "test",
            INTERNAL_API_TOKEN: "internal-token-for-tests-0123456789",
            // Route tests fire far more requests per shopper than the product's limits allow; the
            // rate-limit tests build limiters with the real limits. A fresh prefix per run keeps
            // Redis counters of earlier runs out of this one.
            RATE_LIMIT_USER_PER_MINUTE: "1000000",
            RATE_LIMIT_IP_PER_MINUTE: "1000000",
            RATE_LIMIT_API_KEY_PER_MINUTE: "1000000",
            RATE_LIMIT_PREFIX: `coupons:rl:test:${Date.now()}`,
            // Enough connections for the 50-request races to run truly in parallel: with fewer, the pool
            // itself would serialize them and a missing lock could go unnoticed.
            DATABASE_POOL_MAX: "60",
          },
        },
      },
    ],
  },
});
