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
          include: ["{lib,db,app,scripts}/**/*.int.test.ts"],
          environment: "node",
          globalSetup: ["db/testing/global-setup.ts"],
          setupFiles: ["db/testing/setup.ts"],
          // One database, truncated between tests: files run one at a time; each test fires its own parallel load.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          env: { NODE_ENV: "test", INTERNAL_API_TOKEN: "internal-token-for-tests-0123456789" },
        },
      },
    ],
  },
});
