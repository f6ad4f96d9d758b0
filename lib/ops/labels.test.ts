import { describe, expect, it } from "vitest";
import { ALERT_EVENTS } from "@/lib/alerts/kinds";
import { ALERT_EVENT_LABELS, alertEventLabel, describeSchedule, detailEntries, formatRunDuration, humanizeKey, utcSecond } from "./labels";
import { MAINTENANCE_SCHEDULES } from "@/lib/maintenance/schedules";

describe("ops page labels", () => {
  it("names every alert event in words, and an unknown one from its machine name", () => {
    for (const event of ALERT_EVENTS) expect(ALERT_EVENT_LABELS[event]).toMatch(/^[A-Z][a-z]/);
    expect(alertEventLabel("promo_campaign_auto_paused")).toBe("Campaign auto-paused");
    expect(alertEventLabel("some_new_event")).toBe("Some new event");
  });

  it("turns camelCase and snake_case keys into labels", () => {
    expect(humanizeKey("failedAttempts")).toBe("Failed attempts");
    expect(humanizeKey("topCodeHashDistinctUsers")).toBe("Top code hash distinct users");
    expect(humanizeKey("top_hash_users")).toBe("Top hash users");
    expect(humanizeKey("critical")).toBe("Critical");
    expect(humanizeKey("")).toBe("");
  });

  it("lists a payload's entries in order: scalars as text, nested values as a count with their JSON", () => {
    const entries = detailEntries({
      trigger: "LEAKED_CODE",
      failedAttempts: 1234,
      resumed: false,
      expiredAt: null,
      skipped: undefined,
      assignments: [{ assignmentId: "a1", redeemCount: 3 }, { assignmentId: "a2", redeemCount: 1 }],
      checked: { assignments: 10 },
    });
    expect(entries.map((entry) => [entry.label, entry.value])).toEqual([
      ["Trigger", { kind: "text", text: "LEAKED_CODE" }],
      ["Failed attempts", { kind: "text", text: "1,234" }],
      ["Resumed", { kind: "text", text: "no" }],
      ["Expired at", { kind: "text", text: "—" }],
      ["Assignments", { kind: "list", count: 2, json: expect.stringContaining('"assignmentId": "a2"') }],
      ["Checked", { kind: "list", count: 1, json: expect.stringContaining('"assignments": 10') }],
    ]);
    // Not an object: nothing to list (an old row, a producer that wrote a scalar).
    expect(detailEntries(null)).toEqual([]);
    expect(detailEntries("text")).toEqual([]);
    expect(detailEntries([1, 2])).toEqual([]);
  });

  it("prints run durations and times for people", () => {
    expect(formatRunDuration(0)).toBe("0 ms");
    expect(formatRunDuration(412)).toBe("412 ms");
    expect(formatRunDuration(2_340)).toBe("2.3 s");
    expect(formatRunDuration(42_000)).toBe("42 s");
    expect(formatRunDuration(65_000)).toBe("1 min 5 s");
    expect(formatRunDuration(120_000)).toBe("2 min");
    expect(utcSecond(new Date("2026-12-01T08:05:09.123Z"))).toBe("2026-12-01 08:05:09 UTC");
  });

  it("says every maintenance schedule in words, and leaves other cron forms as they are", () => {
    for (const cron of Object.values(MAINTENANCE_SCHEDULES)) expect(describeSchedule(cron)).toMatch(/^every /);
    expect(describeSchedule("* * * * *")).toBe("every minute");
    expect(describeSchedule("*/30 * * * *")).toBe("every 30 minutes");
    expect(describeSchedule("5 * * * *")).toBe("hourly at :05");
    expect(describeSchedule("15 */6 * * *")).toBe("every 6 hours at :15");
    expect(describeSchedule("0 3 * * *")).toBe("daily at 03:00 UTC");
    expect(describeSchedule("0 3 * * 1")).toBe("0 3 * * 1");
    expect(describeSchedule("bogus")).toBe("bogus");
  });
});
