import { describe, expect, it } from "vitest";
import { closedHoursEnd, SETTLE_MS } from "./hourly-rollup";

describe("closedHoursEnd", () => {
  const at = (iso: string) => new Date(iso);
  it("ends at the last hour boundary before now less the settle margin and before the oldest open transaction", () => {
    expect(SETTLE_MS).toBe(120_000);
    expect(closedHoursEnd(at("2026-12-01T10:30:00Z"), null)).toBe("2026-12-01T10:00:00.000Z");
    expect(closedHoursEnd(at("2026-12-01T11:01:00Z"), null)).toBe("2026-12-01T10:00:00.000Z");
    expect(closedHoursEnd(at("2026-12-01T11:02:00Z"), null)).toBe("2026-12-01T11:00:00.000Z");
    // A checkout that began a second before 11:00 and has not committed: 10:00–11:00 is not closed.
    expect(closedHoursEnd(at("2026-12-01T11:30:00Z"), at("2026-12-01T10:59:59Z"))).toBe("2026-12-01T10:00:00.000Z");
    expect(closedHoursEnd(at("2026-12-01T11:30:00Z"), at("2026-12-01T11:00:00Z"))).toBe("2026-12-01T11:00:00.000Z");
  });
});
