import { describe, expect, it } from "vitest";
import { z } from "zod";
import { GenerateCodesInput } from "@/lib/coupons/schemas";
import { hasUnstorableCharacter, isoInstant, isRealTimestamp, text } from "@/lib/validation";

const messages = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

describe("validation messages", () => {
  it("says what to enter instead of zod's generic wording, in forms and API details alike", () => {
    const quantity = z.object({ n: z.number().int().min(1).max(1_000_000) });
    expect(messages(quantity, { n: Number.NaN })).toEqual(["n: Enter a number"]);
    expect(messages(quantity, { n: 1.5 })).toEqual(["n: must be a whole number"]);
    expect(messages(quantity, { n: 0 })).toEqual(["n: must be at least 1"]);
    expect(messages(quantity, { n: 2_000_000 })).toEqual(["n: must be at most 1,000,000"]);
    expect(messages(quantity, {})).toEqual(["n: Required"]);
    expect(messages(quantity, { n: "3" })).toEqual(["n: must be a number"]);
    const name = z.object({ s: text().min(1).max(64), t: text().min(3).optional(), list: z.array(text()).max(2).optional() });
    expect(messages(name, { s: "" })).toEqual(["s: Required"]);
    expect(messages(name, { s: "x".repeat(65) })).toEqual(["s: must be at most 64 characters"]);
    expect(messages(name, { s: "ok", t: "ab" })).toEqual(["t: must be at least 3 characters"]);
    expect(messages(name, { s: "ok", list: ["a", "b", "c"] })).toEqual(["list: must have at most 2 items"]);
    expect(messages(name, { s: {} })).toEqual(["s: must be a string"]);
    expect(messages(z.object({ o: z.object({}) }), { o: 1 })).toEqual(["o: must be an object"]);
  });

  it("keeps a schema's own message, and reads the same through the API's schemas", () => {
    expect(messages(GenerateCodesInput, { couponBookId: "2f1c6a4e-8a4f-4a59-9d0e-7b6f0d1e2a3b", quantity: 0, pattern: "" })).toEqual(["quantity: must be at least 1", "pattern: Required"]);
    expect(messages(z.object({ code: text().min(1, "Enter a code") }), { code: "" })).toEqual(["code: Enter a code"]);
  });
});

describe("what PostgreSQL can store", () => {
  it("finds NUL and unpaired surrogates, not pairs", () => {
    expect(hasUnstorableCharacter("a\u0000b")).toBe(true);
    expect(hasUnstorableCharacter("a\ud800")).toBe(true);
    expect(hasUnstorableCharacter("\udfffa")).toBe(true);
    expect(hasUnstorableCharacter("caf\u00e9 \ud83d\ude00")).toBe(false);
  });

  it("takes instants of the years 0001–9999 only, and real dates and times in cursors", () => {
    expect(isoInstant().safeParse("2026-12-01T09:30:00+01:00").data).toEqual(new Date("2026-12-01T08:30:00Z"));
    for (const value of ["0000-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00"]) {
      expect(messages(isoInstant(), value), value).toEqual([": must be a date between the years 0001 and 9999"]);
    }
    expect(isRealTimestamp("2026-12-02", "02:36:08")).toBe(true);
    for (const [date, time] of [["2026-02-30", "10:00:00"], ["2026-13-45", "25:61:61"], ["0000-01-01", "00:00:00"], ["2026-01-01", "24:00:00"]]) {
      expect(isRealTimestamp(date!, time!), `${date} ${time}`).toBe(false);
    }
  });
});
