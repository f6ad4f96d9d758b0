import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/**
 * A stand-in for a GitHub Enterprise Server (the third party of GitHub sign-in), so the e2e server
 * signs in through its real Auth.js GitHub provider without reaching github.com: the server runs
 * with AUTH_GITHUB_ENTERPRISE_URL pointing here (playwright.config.ts). It speaks the four endpoints
 * the sign-in uses, as GitHub documents them, checks what GitHub checks (client credentials, the
 * code, its redirect_uri, PKCE) and records every request it received.
 */
export const FAKE_GITHUB_CLIENT = { id: "e2e-github-client-id", secret: "e2e-github-client-secret" } as const;

/** Its port: E2E_GITHUB_PORT, or the one after the e2e server's. Loopback only (the app allows http:// there alone). */
export function fakeGitHubPort(): number {
  return Number(process.env.E2E_GITHUB_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 1);
}

export const fakeGitHubUrl = () => `http://127.0.0.1:${fakeGitHubPort()}`;

/** A GitHub account as the API shows it: the profile's public email (null when private) and the account's emails. */
export interface GitHubIdentity {
  id: number;
  login: string;
  email: string | null;
  emails: { email: string; verified: boolean; primary: boolean }[];
}

export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
  authorization: string | undefined;
}

interface Grant {
  identity: GitHubIdentity;
  redirectUri: string;
  codeChallenge: string | undefined;
}

export interface FakeGitHub {
  /** The account the next visit to the authorize page signs in as (a person who clicks "Authorize"). */
  signInAs(identity: GitHubIdentity): void;
  /** Requests received since the last signInAs, oldest first. */
  received(): ReceivedRequest[];
  /** Access tokens issued since the last signInAs. */
  issuedTokens(): string[];
  close(): Promise<void>;
}

async function readForm(request: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(body));
}

const s256 = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");

export async function startFakeGitHub(port = fakeGitHubPort()): Promise<FakeGitHub> {
  let next: GitHubIdentity | undefined;
  let log: ReceivedRequest[] = [];
  let tokens: string[] = [];
  const grants = new Map<string, Grant>();
  const sessions = new Map<string, GitHubIdentity>();
  const expectedBasic = `Basic ${Buffer.from(`${FAKE_GITHUB_CLIENT.id}:${FAKE_GITHUB_CLIENT.secret}`).toString("base64")}`;

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://fake-github");
    const form = request.method === "POST" ? await readForm(request) : {};
    log.push({ method: request.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams), form, authorization: request.headers.authorization });
    const bearer = request.headers.authorization?.match(/^Bearer (.+)$/i)?.[1];

    if (request.method === "GET" && url.pathname === "/login/oauth/authorize") {
      const redirectUri = url.searchParams.get("redirect_uri");
      if (url.searchParams.get("client_id") !== FAKE_GITHUB_CLIENT.id || !redirectUri || !next) {
        response.writeHead(400, { "Content-Type": "text/plain" }).end("unknown client, no redirect_uri, or no account set with signInAs");
        return;
      }
      const code = randomBytes(10).toString("hex");
      grants.set(code, { identity: next, redirectUri, codeChallenge: url.searchParams.get("code_challenge") ?? undefined });
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      const state = url.searchParams.get("state");
      if (state) back.searchParams.set("state", state);
      response.writeHead(302, { Location: back.toString() }).end();
      return;
    }

    if (request.method === "POST" && url.pathname === "/login/oauth/access_token") {
      const grant = grants.get(form.code ?? "");
      grants.delete(form.code ?? "");
      const clientOk = request.headers.authorization === expectedBasic || (form.client_id === FAKE_GITHUB_CLIENT.id && form.client_secret === FAKE_GITHUB_CLIENT.secret);
      if (!clientOk) return sendJson(response, 401, { error: "incorrect_client_credentials" });
      if (!grant || grant.redirectUri !== form.redirect_uri) return sendJson(response, 400, { error: "bad_verification_code" });
      if (grant.codeChallenge && s256(form.code_verifier ?? "") !== grant.codeChallenge) return sendJson(response, 400, { error: "invalid_grant", error_description: "code_verifier does not match" });
      const token = `gho_${randomBytes(16).toString("hex")}`;
      sessions.set(token, grant.identity);
      tokens.push(token);
      return sendJson(response, 200, { access_token: token, token_type: "bearer", scope: "read:user,user:email" });
    }

    const identity = bearer ? sessions.get(bearer) : undefined;
    if (request.method === "GET" && (url.pathname === "/api/v3/user" || url.pathname === "/api/v3/user/emails")) {
      if (!identity) return sendJson(response, 401, { message: "Bad credentials" });
      if (url.pathname === "/api/v3/user/emails") {
        return sendJson(response, 200, identity.emails.map((e) => ({ ...e, visibility: e.primary ? "private" : null })));
      }
      return sendJson(response, 200, { id: identity.id, login: identity.login, name: null, email: identity.email, avatar_url: `https://avatars.example.test/u/${identity.id}` });
    }

    sendJson(response, 404, { message: "Not Found" });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });

  return {
    signInAs(identity) {
      next = identity;
      log = [];
      tokens = [];
    },
    received: () => [...log],
    issuedTokens: () => [...tokens],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
