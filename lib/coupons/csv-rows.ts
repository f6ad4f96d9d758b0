import { hasNul } from "@/lib/validation";
import { CODE_FORMAT, normalizeCode } from "./codes";

/** Longer lines are reported as invalid rows and skipped, so one missing newline can't fill memory. */
const MAX_LINE_LENGTH = 4096;
/** Row errors echo at most this much of the offending cell back to the uploader. */
const MAX_VALUE_LENGTH = 100;

export type CsvLine = { line: number; text: string; tooLong: boolean };

/**
 * Splits a stream of UTF-8 bytes into lines, numbered from 1 as an editor shows them. LF and CRLF
 * both end a line; a leading BOM is dropped; invalid UTF-8 turns into U+FFFD (and fails the code
 * format later). Memory is bounded by MAX_LINE_LENGTH, whatever the file's size.
 */
export async function* csvLines(chunks: AsyncIterable<Uint8Array | string>, maxLineLength = MAX_LINE_LENGTH): AsyncGenerator<CsvLine> {
  const decoder = new TextDecoder("utf-8");
  let pending = "";
  let overflow = false;
  let line = 0;
  let first = true;

  function* take(text: string, final: boolean): Generator<CsvLine> {
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    for (let newline = text.indexOf("\n"); newline !== -1; newline = text.indexOf("\n", start)) {
      const piece = pending + text.slice(start, newline);
      pending = "";
      start = newline + 1;
      line++;
      const stripped = piece.endsWith("\r") ? piece.slice(0, -1) : piece;
      if (overflow || stripped.length > maxLineLength) yield { line, text: stripped.slice(0, maxLineLength), tooLong: true };
      else yield { line, text: stripped, tooLong: false };
      overflow = false;
    }
    // Inside an over-long line the rest is dropped until its newline; the head stays for the report.
    if (!overflow) {
      pending += text.slice(start);
      if (pending.length > maxLineLength + 1) {
        overflow = true;
        pending = pending.slice(0, maxLineLength);
      }
    }
    if (final && (pending.length > 0 || overflow)) {
      line++;
      const stripped = pending.endsWith("\r") ? pending.slice(0, -1) : pending;
      yield { line, text: stripped, tooLong: overflow };
      pending = "";
    }
  }

  for await (const chunk of chunks) {
    yield* take(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }), false);
  }
  yield* take(decoder.decode(), true);
}

/**
 * The cells of one CSV line. A cell may be wrapped in double quotes (`""` inside is a quote);
 * whitespace around a quoted cell is ignored. Returns null for broken quoting.
 */
export function parseCsvLine(text: string): string[] | null {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let j = i;
    while (text[j] === " " || text[j] === "\t") j++;
    if (text[j] === '"') {
      let value = "";
      j++;
      for (;;) {
        const close = text.indexOf('"', j);
        if (close === -1) return null;
        value += text.slice(j, close);
        if (text[close + 1] === '"') {
          value += '"';
          j = close + 2;
          continue;
        }
        j = close + 1;
        break;
      }
      while (text[j] === " " || text[j] === "\t") j++;
      if (j < text.length && text[j] !== ",") return null;
      cells.push(value);
      if (j >= text.length) return cells;
      i = j + 1;
    } else {
      const comma = text.indexOf(",", i);
      if (comma === -1) {
        cells.push(text.slice(i));
        return cells;
      }
      cells.push(text.slice(i, comma));
      i = comma + 1;
    }
  }
}

export type CodeStatusValue = "AVAILABLE" | "DISABLED";

const STATUS_WORDS: Record<string, CodeStatusValue> = {
  "": "AVAILABLE",
  valid: "AVAILABLE",
  available: "AVAILABLE",
  disabled: "DISABLED",
  invalid: "DISABLED",
};

/** The status column: empty, `valid` or `available` → AVAILABLE; `disabled` or `invalid` → DISABLED. */
export function parseStatusCell(cell: string | undefined): CodeStatusValue | undefined {
  return STATUS_WORDS[(cell ?? "").trim().toLowerCase()];
}

export type CodeRow =
  | { kind: "blank" }
  | { kind: "code"; code: string; status: CodeStatusValue }
  | { kind: "invalid"; error: string; value: string };

/**
 * The cell as echoed in a row error. A NUL is shown as U+FFFD: the report is JSON that may be stored
 * as jsonb (an idempotent upload's response), which refuses U+0000.
 */
function clip(value: string) {
  const shown = value.replaceAll("\u0000", "\uFFFD");
  return shown.length > MAX_VALUE_LENGTH ? `${shown.slice(0, MAX_VALUE_LENGTH)}…` : shown;
}

/** Reads one line of an upload: `code[,status]`, blank lines (or only commas) skipped. */
export function parseCodeLine(line: CsvLine): CodeRow {
  if (line.tooLong) return { kind: "invalid", error: `row is longer than ${MAX_LINE_LENGTH} characters`, value: clip(line.text) };
  if (line.text.trim() === "") return { kind: "blank" };
  if (hasNul(line.text)) return { kind: "invalid", error: "row contains a NUL character", value: clip(line.text) };
  const cells = parseCsvLine(line.text);
  if (!cells) return { kind: "invalid", error: "malformed quotes", value: clip(line.text) };
  if (cells.every((cell) => cell.trim() === "")) return { kind: "blank" };
  if (cells.slice(2).some((cell) => cell.trim() !== "")) {
    return { kind: "invalid", error: "expected at most two columns: code,status", value: clip(line.text) };
  }
  const code = normalizeCode(cells[0]!);
  if (!CODE_FORMAT.test(code)) {
    return { kind: "invalid", error: "code must be 3–64 characters of A–Z, 0–9, '_' or '-'", value: clip(cells[0]!) };
  }
  const status = parseStatusCell(cells[1]);
  if (!status) return { kind: "invalid", error: "status must be empty, valid, available, disabled or invalid", value: clip(cells[1]!) };
  return { kind: "code", code, status };
}

/** A header row is a first row whose first cell is `code` (any case). */
export function isHeaderLine(text: string): boolean {
  const cells = parseCsvLine(text);
  return cells !== null && cells[0]!.trim().toLowerCase() === "code";
}
