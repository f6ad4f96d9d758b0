import { createServer } from "node:http";

/**
 * The generic alert webhook's receiver for e2e/ops-alerts.spec.ts: a loopback HTTP server that
 * records every delivery it gets and answers with the status the spec sets (500 to make a delivery
 * FAILED, then 200 for the retry). The e2e server and the `npm run job` runs of the spec point
 * OPS_ALERT_WEBHOOK_URL here (playwright.config.ts). Only that spec starts it: for the other specs
 * the URL is a closed port, and nothing of theirs sends alerts (without Inngest, an alert a request
 * raises waits in the outbox for the alerts-deliver job, which only this spec's jobs would run).
 */

/** Its port: E2E_ALERT_RECEIVER_PORT, or two after the e2e server's (one after is the fake GitHub). */
export function alertReceiverPort(): number {
  return Number(process.env.E2E_ALERT_RECEIVER_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 2);
}

export const alertReceiverUrl = () => `http://127.0.0.1:${alertReceiverPort()}/ops-alerts`;

/**
 * The alert settings of the e2e server and of the spec's `npm run job` runs: the generic webhook
 * only, and one attempt, so a receiver answering 500 ends a delivery FAILED at once.
 */
export const alertReceiverSettings = () => ({ OPS_ALERT_WEBHOOK_URL: alertReceiverUrl(), OPS_ALERT_MAX_ATTEMPTS: "1" });

export interface ReceivedAlert {
  path: string;
  idempotencyKey: string | undefined;
  /** The raw body as sent, to search for what must not be in it. */
  text: string;
  body: { alertId?: string; event?: string; summary?: string; details?: Record<string, unknown>; [key: string]: unknown };
  /** What this receiver answered. */
  status: number;
}

export interface FakeAlertReceiver {
  /** The status the next deliveries get. */
  answerWith(status: number): void;
  /** Deliveries received so far, oldest first. */
  received(): ReceivedAlert[];
  close(): Promise<void>;
}

export async function startAlertReceiver(port = alertReceiverPort()): Promise<FakeAlertReceiver> {
  let status = 200;
  const log: ReceivedAlert[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let body: ReceivedAlert["body"] = {};
    try {
      body = JSON.parse(text) as ReceivedAlert["body"];
    } catch {
      // kept as text only: the spec fails on the missing fields
    }
    const answered = status;
    log.push({ path: request.url ?? "", idempotencyKey: request.headers["idempotency-key"] as string | undefined, text, body, status: answered });
    response.writeHead(answered, { "Content-Type": "text/plain; charset=utf-8" });
    response.end(answered >= 200 && answered < 300 ? "ok" : "receiver unavailable");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    answerWith: (next) => {
      status = next;
    },
    received: () => [...log],
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
