import { defineConfig } from "@playwright/test";
import { alertReceiverSettings } from "./e2e/fake-alert-receiver";
import { FAKE_GITHUB_CLIENT, fakeGitHubUrl } from "./e2e/fake-github";

/**
 * E2E against the production build (`npm run build`, then `npm start`) on DATABASE_URL, which
 * e2e/global-setup.ts migrates and seeds with the demo data. `npm test` runs this after vitest.
 * E2E_BASE_URL points the specs at a server you already run (no build, no web server started).
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const externalBaseURL = process.env.E2E_BASE_URL;
// localhost, not 127.0.0.1: Auth.js rejects the sign-in (MissingCSRF) when the host differs from the cookie's.
const baseURL = externalBaseURL ?? `http://localhost:${port}`;

if (!externalBaseURL && !process.env.DATABASE_URL) {
  throw new Error("DATABASE_URL is unset: run the e2e tests through `npm test` (or set DATABASE_URL / E2E_BASE_URL)");
}

const build = process.env.E2E_SKIP_BUILD === "1" ? "" : "npm run build && ";

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  reporter: [["list"]],
  // Two cores run the server, Chromium and axe together: a page check can take 20–30 s under load.
  timeout: 60_000,
  expect: { timeout: 20_000 },
  outputDir: "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium", viewport: { width: 1280, height: 800 } } }],
  webServer: externalBaseURL
    ? undefined
    : {
        command: `${build}npm start -- -p ${port} -H 0.0.0.0`,
        url: `${baseURL}/api/health`,
        timeout: 300_000,
        reuseExistingServer: false,
        stdout: "ignore",
        stderr: "pipe",
        env: {
          NEXT_TELEMETRY_DISABLED: "1",
          // A production server refuses to run without its secrets; these exist only for this test server.
          AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-only-auth-secret-0123456789abcdefghijklmnop",
          CODE_HASH_SECRET: process.env.CODE_HASH_SECRET ?? "e2e-only-code-hash-secret",
          INTERNAL_API_TOKEN: process.env.INTERNAL_API_TOKEN ?? "e2e-only-internal-token-0123456789",
          // The specs sign in with the demo accounts, which a production server otherwise refuses.
          ALLOW_DEMO_ACCOUNTS: "1",
          // Production closes seller sign-up by default; the specs sign a new seller up.
          SELLER_SIGNUP: "open",
          // Every shopper of the specs comes from 127.0.0.1: per ip, they would share 30 code tries a
          // minute (and a cart change with a coupon held is a try). Per-shopper limits stay as shipped.
          RATE_LIMIT_IP_PER_MINUTE: "600",
          // Every statement rendered once (db/rendered-once.ts) is checked against a fresh rendering,
          // as under vitest: the console's and the shop's flows reach shapes the API tests may not.
          RENDERED_ONCE_CHECK: "1",
          // GitHub sign-in through a GitHub Enterprise Server that e2e/github-sign-in.spec.ts runs on
          // loopback (e2e/fake-github.ts): every login page offers the button, no spec reaches github.com.
          AUTH_GITHUB_ID: FAKE_GITHUB_CLIENT.id,
          AUTH_GITHUB_SECRET: FAKE_GITHUB_CLIENT.secret,
          AUTH_GITHUB_ENTERPRISE_URL: fakeGitHubUrl(),
          // Ops alerts go to a generic webhook on loopback that e2e/ops-alerts.spec.ts runs (E2E_PORT + 2),
          // one attempt each, so the spec sees a delivery FAILED and retries it. For the other specs it is
          // a closed port that nothing sends to: their alerts wait in the outbox, as without a channel.
          ...alertReceiverSettings(),
        },
      },
});
