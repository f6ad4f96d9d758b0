import { describe, expect, it } from "vitest";
import { cronIntervalMs, MAINTENANCE_SCHEDULES } from "./schedules";

describe("cronIntervalMs", () => {
  it("reads the every-N forms and refuses the rest", () => {
    expect(cronIntervalMs("* * * * *")).toBe(60_000);
    expect(cronIntervalMs("*/10 * * * *")).toBe(600_000);
    expect(cronIntervalMs("5 * * * *")).toBe(3_600_000);
    expect(cronIntervalMs("0 */6 * * *")).toBe(6 * 3_600_000);
    expect(cronIntervalMs("30 3 * * *")).toBe(24 * 3_600_000);
    for (const odd of ["1-5 * * * *", "0 0 * * 1", "*/0 * * * *", "* *", "0,30 * * * *"]) expect(cronIntervalMs(odd), odd).toBeNull();
  });

  it("judges every maintenance schedule", () => {
    for (const [job, cron] of Object.entries(MAINTENANCE_SCHEDULES)) expect(cronIntervalMs(cron), job).not.toBeNull();
  });
});
