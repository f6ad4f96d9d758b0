import { sql } from "drizzle-orm";
import { apiRequest, type AnswerOf } from "@/testing/api/client";
import { runPhase, type Answer } from "./load";
import { cpuNow, expectStatus, httpFigures, type PhaseContext, type Workload } from "./workload";

/**
 * The ops reads of `npm run bench:http` over the seeded day of attempts (scripts/bench/dashboard.ts's
 * loader, rolled up as the hourly jobs keep it): GET /api/internal/promo/dashboard?window=24h over
 * every seller, with the internal token, and GET /api/metrics with METRICS_TOKEN, two callers at a
 * time (two ops screens, two Prometheus replicas). No request of another phase runs meanwhile, so
 * every answer must hold exactly what promo_attempts holds.
 */

const count = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

export function opsReadWorkloads(ctx: PhaseContext, size: { dashboards: number; scrapes: number }): Workload[] {
  const { seeded } = ctx;
  const day = count(seeded.dashboardAttempts);

  const dashboardRequest = apiRequest("get", "/api/internal/promo/dashboard", { query: { window: "24h" }, headers: { authorization: `Bearer ${seeded.internalToken}` } });
  type DashboardAnswer = AnswerOf<typeof dashboardRequest>;
  const dashboard = async (requests: number) => {
    const answers: DashboardAnswer[] = [];
    const before = cpuNow(ctx.serverPid);
    const result = await runPhase(
      ctx.baseUrl,
      { total: requests, concurrency: 2, timeoutMs: ctx.timeoutMs },
      () => [dashboardRequest],
      (_n, _step, answer) => {
        expectStatus(200, answer);
        const body = JSON.parse(answer.body) as DashboardAnswer;
        // Exactness is checked after the phase; an hour that ended since the load has left the window.
        if (body.window !== "24h" || !(body.attempts.total > 0)) throw new Error(`dashboard: ${answer.body.slice(0, 300)}`);
        answers.push(body);
      },
    );
    const figures = httpFigures(result, before, cpuNow(ctx.serverPid), 1);
    // Exact counts, checked against the rows once the phase is over: an answer's window ends at its
    // request, and an hour that starts mid-phase moves `from`, so each distinct window is counted.
    const windows = new Map<string, DashboardAnswer>();
    for (const answer of answers) windows.set(`${answer.from} ${answer.lastWeek.from}`, answer);
    for (const w of windows.values()) {
      const [rows] = (await ctx.db.execute<{ now: number; last_week: number }>(sql`
        select count(*) filter (where attempted_at >= ${w.from}::timestamptz and attempted_at <= ${w.to}::timestamptz)::int as now,
               count(*) filter (where attempted_at >= ${w.lastWeek.from}::timestamptz and attempted_at <= ${w.lastWeek.to}::timestamptz)::int as last_week
        from promo_attempts where attempted_at >= ${w.lastWeek.from}::timestamptz`)) as unknown as [{ now: number; last_week: number }];
      for (const answer of answers.filter((a) => a.from === w.from && a.lastWeek.from === w.lastWeek.from)) {
        if (answer.attempts.total !== rows.now || answer.lastWeek.attempts.total !== rows.last_week) {
          throw new Error(`dashboard from ${w.from}: ${answer.attempts.total} attempts and ${answer.lastWeek.attempts.total} a week earlier, the rows hold ${rows.now} and ${rows.last_week}`);
        }
      }
    }
    return figures;
  };

  const scrape = async (requests: number) => {
    const rows = (await ctx.db.execute<{ result: string; n: number }>(sql`select result::text, count(*)::int as n from promo_attempts group by result`)) as unknown as {
      result: string;
      n: number;
    }[];
    const expected = new Map(rows.map((r) => [r.result, r.n]));
    const check = (answer: Answer) => {
      expectStatus(200, answer);
      const seen = new Map<string, number>();
      for (const match of answer.body.matchAll(/^promo_attempts_total\{result="([A-Z_]+)"\} (\d+)$/gm)) seen.set(match[1]!, Number(match[2]));
      for (const [result, n] of expected) {
        if (seen.get(result) !== n) throw new Error(`metrics: promo_attempts_total{result="${result}"} ${seen.get(result)}, the rows hold ${n}`);
      }
    };
    const before = cpuNow(ctx.serverPid);
    const result = await runPhase(
      ctx.baseUrl,
      { total: requests, concurrency: 2, timeoutMs: ctx.timeoutMs },
      () => [apiRequest("get", "/api/metrics", { headers: { authorization: `Bearer ${seeded.metricsToken}` } })],
      (_n, _step, answer) => check(answer),
    );
    return httpFigures(result, before, cpuNow(ctx.serverPid), 1);
  };

  return [
    {
      id: "dashboard-24h",
      label: `ops dashboard, window=24h, all sellers, ${day} attempts a day, c=2`,
      concurrency: 2,
      unit: "req/s",
      http: () => dashboard(size.dashboards),
      warm: async () => void (await dashboard(2)),
    },
    {
      id: "metrics-scrape",
      label: `metrics scrape, ${day} attempts a day, c=2`,
      concurrency: 2,
      unit: "req/s",
      http: () => scrape(size.scrapes),
      warm: async () => void (await scrape(2)),
    },
  ];
}
