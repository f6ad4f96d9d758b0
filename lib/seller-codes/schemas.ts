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

/*
 * The seller's CSV upload page talks to POST /api/coupon-codes/upload straight from the browser (a
 * server action would buffer the file). These are the shapes it reads back and the pure functions
 * that turn them into words and a downloadable report; the browser bundle imports them.
 */

/** The API reports at most this many row errors (lib/coupons/upload-codes.ts). */
export const MAX_REPORTED_ROW_ERRORS = 100;

export const UploadRowErrorDto = z.object({ row: z.number().int(), error: text(), value: text() });
export type UploadRowErrorDto = z.infer<typeof UploadRowErrorDto>;

/** The 200 answer of the upload route. */
export const UploadCodesAnswer = z.object({
  uploadedCount: z.number().int().min(0),
  duplicatesCount: z.number().int().min(0),
  invalidRowsCount: z.number().int().min(0),
  couponBookId: text(),
  errors: z.array(UploadRowErrorDto),
});
export type UploadCodesAnswer = z.infer<typeof UploadCodesAnswer>;

/** The error body every route answers (withRoute): `{ error, code, ...context }`. */
const ApiErrorBody = z.object({ error: text(), code: text().optional(), maxBytes: z.number().int().positive().optional() });

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/**
 * What to tell the seller about a failed upload: the HTTP status (0 when the request never got an
 * answer) and the parsed JSON body, if any. The API's own message is kept where it helps (a 400
 * names the problem); statuses the seller can act on get a sentence saying what to do.
 */
export function uploadFailureMessage(status: number, body: unknown): string {
  const parsed = ApiErrorBody.safeParse(body);
  const apiMessage = parsed.success ? parsed.data.error : undefined;
  switch (status) {
    case 0:
      return "The upload did not reach the server (network error). Check your connection and try again.";
    case 401:
      return "Your session has ended. Sign in again, then upload the file again.";
    case 403:
      return `You may not upload codes to this book${apiMessage ? ` (${apiMessage})` : ""}.`;
    case 413: {
      const maxBytes = parsed.success ? parsed.data.maxBytes : undefined;
      return maxBytes
        ? `The file is too large: the limit is ${formatBytes(maxBytes)}. Split it into smaller files and upload them one by one.`
        : "The file is too large. Split it into smaller files and upload them one by one.";
    }
    case 415:
      return `The server did not receive the upload as a form with a file${apiMessage ? ` (${apiMessage})` : ""}. Reload the page and try again.`;
    default:
      if (apiMessage) return status >= 500 ? `The upload failed on the server: ${apiMessage}. Nothing was saved; try again.` : apiMessage;
      return `The upload failed (HTTP ${status}). Nothing was saved; try again.`;
  }
}

/**
 * A CSV cell: quoted when it holds a quote, comma or line break (quotes doubled, RFC 4180). A cell
 * starting with = + - @ or a tab is prefixed with ' so a spreadsheet shows the uploaded text instead
 * of running it as a formula (the values come from whatever file was uploaded).
 */
export function csvCell(value: string | number): string {
  let cell = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(cell)) cell = `'${cell}`;
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** The report of the row errors as CSV (`line,code,message`, CRLF line ends, as spreadsheets expect). */
export function uploadReportCsv(errors: readonly UploadRowErrorDto[]): string {
  const lines = [["line", "code", "message"], ...errors.map((e) => [e.row, e.value, e.error])];
  return lines.map((cells) => cells.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
