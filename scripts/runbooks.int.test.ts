import fs from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { opsAlertDeliveries, opsAlerts, promoAttempts, purchases } from "@/db/schema";
import { codesOf } from "@/testing/coupon-api";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { cartOf, promoApply, promoRedeem } from "@/testing/promo-api";
import { setCampaignStatus } from "@/lib/ops/campaign-status";

const RUNBOOKS = path.join(import.meta.dirname, "..", "docs", "runbooks");
/** Fewer blocks than this means the extraction broke (an empty glob must not pass). */
const MIN_BLOCKS = 20;

interface Block {
  file: string;
  line: number;
  sql: string;
}

/** Every ```sql fence of the runbooks, indented ones (inside list items) included. */
function sqlBlocks(): Block[] {
  const blocks: Block[] = [];
  for (const file of fs.readdirSync(RUNBOOKS).filter((name) => name.endsWith(".md")).sort()) {
    const lines = fs.readFileSync(path.join(RUNBOOKS, file), "utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
      const open = /^(\s*)```sql\s*$/.exec(lines[i]!);
      if (!open) continue;
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && !/^\s*```\s*$/.test(lines[j]!)) body.push(lines[j++]!);
      if (j === lines.length) throw new Error(`${file}:${i + 1}: unclosed sql block`);
      blocks.push({ file, line: i + 1, sql: body.join("\n") });
      i = j;
    }
  }
  return blocks;
}

const PLACEHOLDER = /<([a-z_]+)>/g;

function fill(block: Block, values: Record<string, string>) {
  return block.sql.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${block.file}:${block.line}: unknown placeholder ${whole}`);
    return value.replace(/'/g, "''");
  });
}

class RolledBack extends Error {}

/** Runs one statement in a read-only transaction and always rolls it back; resolves to its rows. */
async function runReadOnly(statement: string) {
  let rows: unknown[] = [];
  try {
    await db.transaction(
      async (tx) => {
        rows = [...(await tx.execute(sql.raw(statement)))];
        throw new RolledBack();
      },
      { accessMode: "read only" },
    );
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  return rows;
}

/** A small world every runbook query can find something in: a campaign with a reservation applied to an order, a failed attempt, a guard pause, an alert. */
async function seedFixture() {
  const { businessId } = await businessWithKey();
  const book = await activeBook(businessId, { codes: 3, pattern: "SPRING-{XXXXXXXX}", overrides: { codePrefix: "SPRING-", discountValue: 500 } });
  const [code] = await codesOf(book.id);
  expect((await promoRedeem({ userId: "ana", code, checkoutId: "chk-1", cart: cartOf(businessId) })).body.result).toBe("ACCEPTED");
  expect((await promoApply({ checkoutId: "chk-1", orderId: "order-1" })).status).toBe(200);
  expect((await promoRedeem({ userId: "bob", code: "SPRING-NOPE0000", checkoutId: "chk-2", cart: cartOf(businessId) })).body.result).toBe("INVALID");
  await db.transaction((tx) => setCampaignStatus(tx, { kind: "system", name: "guard" }, { ip: null, userAgent: null }, { bookId: book.id, status: "PAUSED", reason: "brute-force guard: FAILED_ATTEMPTS" }));
  const [alert] = await db
    .insert(opsAlerts)
    .values({ eventType: "promo_campaign_auto_paused", severity: "warning", escalation: "ops_l2", dedupeKey: "runbook-fixture", summary: "fixture", bookId: book.id, businessId })
    .returning();
  await db.insert(opsAlertDeliveries).values({ alertId: alert!.id, channel: "slack", status: "FAILED", attempts: 20, lastError: "HTTP 500" });

  const [attempt] = await db.select().from(promoAttempts).where(eq(promoAttempts.userId, "bob"));
  const [purchase] = await db.select().from(purchases).where(eq(purchases.orderId, "order-1"));
  return {
    book_id: book.id,
    business_id: businessId,
    order_id: "order-1",
    checkout_id: "chk-1",
    purchase_id: purchase!.id,
    user_id: "ana",
    code_hash: attempt!.normalizedCodeHash,
  };
}

describe("runbook SQL (docs/runbooks/*.md)", () => {
  const blocks = sqlBlocks();

  it("finds the runbooks' SQL blocks", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(MIN_BLOCKS);
    for (const file of ["promo-incident-response.md", "seller-coupons.md", "reservation-leaks-and-alerts.md"]) {
      expect(blocks.filter((b) => b.file === file).length, file).toBeGreaterThan(0);
    }
  });

  it("runs every block, read-only, against the schema with the placeholders filled in", async () => {
    const values = await seedFixture();
    const failures: string[] = [];
    let withRows = 0;
    for (const block of blocks) {
      try {
        const rows = await runReadOnly(fill(block, values));
        if (rows.length > 0) withRows++;
      } catch (error) {
        failures.push(`${block.file}:${block.line}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    // Most queries find the fixture; a run where none did would mean the placeholders went nowhere.
    expect(withRows).toBeGreaterThan(blocks.length / 2);
  });

  it("would refuse a block that writes, and an unknown placeholder", async () => {
    await expect(runReadOnly("update coupon_books set name = name")).rejects.toMatchObject({ cause: expect.objectContaining({ code: "25006" }) });
    await expect(runReadOnly("with gone as (delete from businesses returning id) select count(*) from gone")).rejects.toMatchObject({ cause: expect.objectContaining({ code: "25006" }) });
    expect(() => fill({ file: "x.md", line: 1, sql: "select '<coupon_code>'" }, {})).toThrow(/unknown placeholder <coupon_code>/);
  });
});
