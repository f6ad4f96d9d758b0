import { z } from "zod";
import { text } from "@/lib/validation";
import { CodeParams, RandomAssignmentInput, userIdSchema } from "@/lib/coupons/schemas";
import { CampaignCodesInput } from "@/lib/ops/schemas";

/* The codes table's inputs: the API's own field schemas, shared by the server actions and the forms. */

/** Selected codes of one book: the ops endpoint's list (1–1000 codes, normalized), never `all`. */
export const SelectedCodesInput = z.object({ bookId: z.uuid(), codes: CampaignCodesInput.shape.codes.unwrap() });
/** Assignments from the console always name the shopper: the seller acts for them. */
export const ConsoleRandomAssignmentInput = RandomAssignmentInput.extend({ userId: userIdSchema });
export const ConsoleCodeAssignmentInput = z.object({ bookId: z.uuid(), code: CodeParams.shape.code, userId: userIdSchema });

/** The assign panel's form: a user and either a random code or the one typed (checked against the same schemas). */
export const AssignFormInput = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("random"), userId: userIdSchema, code: text().optional() }),
  z.object({ mode: z.literal("code"), userId: userIdSchema, code: CodeParams.shape.code }),
]);
export type AssignFormValues = z.input<typeof AssignFormInput>;
