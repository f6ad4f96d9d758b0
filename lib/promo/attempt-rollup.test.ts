import { describe, expect, it } from "vitest";
import { rollupSplit } from "./attempt-rollup";

describe("rollupSplit", () => {
  const from = "2026-12-01T00:00:00.000Z";
  const now = "2026-12-01T23:40:12.345Z";

  it("hands over at the cursor when it lies inside the range", () => {
    expect(rollupSplit(from, now, "2026-12-01T21:00:00.000Z")).toBe("2026-12-01T21:00:00.000Z");
  });

  it("reads everything raw before the first run, with a cursor before the range, and from a start that is not on an hour", () => {
    expect(rollupSplit(from, now, null)).toBe(from);
    expect(rollupSplit(from, now, "2026-11-30T10:00:00.000Z")).toBe(from);
    expect(rollupSplit("2026-12-01T23:45:00.000Z", now, "2026-12-01T23:00:00.000Z")).toBe("2026-12-01T23:45:00.000Z");
  });

  it("never takes the hour the range ends in from the rollup, so the raw side can stop at `hi` inside it", () => {
    // Last week's side: the range ends at 23:40:12 a week back, in an hour the job has long rolled up.
    expect(rollupSplit("2026-11-24T00:00:00.000Z", "2026-11-24T23:40:12.345Z", "2026-12-01T23:00:00.000Z")).toBe("2026-11-24T23:00:00.000Z");
    expect(rollupSplit(from, "2026-12-01T23:00:00.000Z", "2026-12-02T00:00:00.000Z")).toBe("2026-12-01T23:00:00.000Z");
  });
});
