import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { defineServerAction } from "./server-action";

const meta = { ip: null, userAgent: null };
const seller: Actor = { kind: "user", role: "seller", userId: "u-1", businessId: "b-1" };
const shopper: Actor = { kind: "user", role: "shopper", userId: "u-2" };

const rename = defineServerAction({ allow: ["seller"], input: z.object({ name: z.string().min(2, "Too short") }) }, async ({ input }) => {
  if (input.name === "taken") throw new AppError("CONFLICT", "That name is taken", { fields: { name: "That name is taken" } });
  if (input.name === "low") throw new AppError("LIMIT_BELOW_USAGE", "name cannot go below current usage (3)", { field: "name", inUse: 3 });
  if (input.name === "bad") throw new AppError("VALIDATION_ERROR", "Invalid name", { details: [{ path: ["name"], message: "must be before expiresAt" }] });
  if (input.name === "boom") throw new Error("select secret from somewhere");
  return { name: input.name };
});

describe("a server action checks like a route", () => {
  it("refuses no identity, the wrong kind of caller and bad input before the handler; maps domain errors to fields", async () => {
    expect(await rename.run({ actor: null, meta }, { name: "ok" })).toMatchObject({ ok: false, code: "UNAUTHORIZED" });
    expect(await rename.run({ actor: shopper, meta }, { name: "ok" })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await rename.run({ actor: seller, meta }, { name: "x" })).toEqual({
      ok: false,
      code: "VALIDATION_ERROR",
      error: "Check the highlighted fields",
      fieldErrors: { name: "Too short" },
    });
    expect(await rename.run({ actor: seller, meta }, { name: "taken" })).toEqual({ ok: false, code: "CONFLICT", error: "That name is taken", fieldErrors: { name: "That name is taken" } });
    expect(await rename.run({ actor: seller, meta }, { name: "low" })).toMatchObject({ code: "LIMIT_BELOW_USAGE", fieldErrors: { name: "name cannot go below current usage (3)" } });
    expect(await rename.run({ actor: seller, meta }, { name: "bad" })).toMatchObject({ code: "VALIDATION_ERROR", fieldErrors: { name: "must be before expiresAt" } });
    expect(await rename.run({ actor: seller, meta }, { name: "boom" })).toEqual({ ok: false, code: "INTERNAL_ERROR", error: "Something went wrong; try again", fieldErrors: {} });
    expect(await rename.run({ actor: seller, meta }, { name: "fine" })).toEqual({ ok: true, data: { name: "fine" } });
  });
});
