import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
  /** The status this receiver answered with. */
  status: number;
}

export interface Answer {
  status: number;
  body?: string;
  /** Answer this late (a slow or hanging provider). */
  delayMs?: number;
  /** Answer only once this settles (then after `delayMs`): a provider held until the test says so. */
  until?: Promise<unknown>;
}

/**
 * A local HTTP server standing in for Slack, PagerDuty or a generic webhook: it records every request
 * and answers as the test says (`answer(index)` gets the request's 0-based arrival order).
 */
export interface AlertReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Bodies of the requests answered with a 2xx: what the provider actually took. */
  accepted: () => any[];
  answer: (respond: (index: number, body: any) => Answer) => void;
  reset: () => void;
  close: () => Promise<void>;
}

export async function startAlertReceiver(): Promise<AlertReceiver> {
  const requests: ReceivedRequest[] = [];
  let respond: (index: number, body: any) => Answer = () => ({ status: 200, body: "ok" });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: any = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text: a test asserts on it
      }
      const answer = respond(requests.length, body);
      requests.push({ path: req.url ?? "", headers: req.headers, body, status: answer.status });
      const reply = () =>
        setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(answer.status, { "content-type": "text/plain" });
          res.end(answer.body ?? "");
        }, answer.delayMs ?? 0);
      if (answer.until) void answer.until.finally(reply);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accepted: () => requests.filter((request) => request.status >= 200 && request.status < 300).map((request) => request.body),
    answer: (next) => {
      respond = next;
    },
    reset: () => {
      requests.length = 0;
      respond = () => ({ status: 200, body: "ok" });
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
