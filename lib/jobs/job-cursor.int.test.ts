import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { jobCursors } from "@/db/schema";
import { readJobCursor, saveJobCursor } from "./job-cursor";

describe("job cursors", () => {
  it("reads back what was saved, and an empty cursor for a job that never ran", async () => {
    expect(await readJobCursor(db, "walker")).toEqual({});
    await saveJobCursor(db, "walker", { a: "00000000-0000-4000-8000-000000000001", b: null });
    await saveJobCursor(db, "walker", { a: "00000000-0000-4000-8000-000000000002", b: null });
    expect(await readJobCursor(db, "walker")).toEqual({ a: "00000000-0000-4000-8000-000000000002", b: null });
  });

  it("starts over when the stored value is not a cursor", async () => {
    await db.insert(jobCursors).values({ job: "walker", cursor: sql`'{"a": 42}'::jsonb` });
    expect(await readJobCursor(db, "walker")).toEqual({});
  });
});
