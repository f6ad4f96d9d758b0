/** Unambiguous alphanumerics: no 0/O, 1/I (DESIGN §6). 32 symbols, so a random byte maps evenly. */
export const PATTERN_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "0123456789";

type Segment = { kind: "literal"; text: string } | { kind: "X" | "#"; length: number };

export interface ParsedPattern {
  segments: Segment[];
  /** How many distinct codes the pattern can make. */
  keyspace: number;
  /** The literal text before the first placeholder: the book's code prefix. */
  literalHead: string;
  length: number;
}

export class PatternError extends Error {}

/**
 * `SUMMER-{XXXX}`: placeholders only inside braces, `X` from PATTERN_ALPHABET, `#` a digit;
 * text outside braces is literal (normalized to upper case).
 */
export function parsePattern(pattern: string): ParsedPattern {
  const segments: Segment[] = [];
  const re = /\{([^{}]*)\}|([^{}]+)|([{}])/g;
  for (const match of pattern.matchAll(re)) {
    const [, inside, literal, stray] = match;
    if (stray) throw new PatternError("unbalanced braces");
    if (literal !== undefined) {
      const text = literal.replace(/\s+/g, "").toUpperCase();
      if (!/^[A-Z0-9_-]*$/.test(text)) throw new PatternError("literal text may only use A–Z, 0–9, '_' and '-'");
      if (text) segments.push({ kind: "literal", text });
      continue;
    }
    if (!inside || !/^[X#]+$/.test(inside)) throw new PatternError("braces may only hold X and # placeholders");
    for (const run of inside.match(/X+|#+/g)!) segments.push({ kind: run[0] as "X" | "#", length: run.length });
  }
  const placeholders = segments.filter((s) => s.kind !== "literal");
  if (placeholders.length === 0) throw new PatternError("the pattern needs at least one {X} or {#} placeholder");
  const keyspace = placeholders.reduce((space, s) => space * (s.kind === "X" ? 32 : 10) ** s.length, 1);
  const length = segments.reduce((n, s) => n + (s.kind === "literal" ? s.text.length : s.length), 0);
  if (length < 3 || length > 64) throw new PatternError("codes must be 3 to 64 characters long");
  const firstPlaceholder = segments.findIndex((s) => s.kind !== "literal");
  const literalHead = segments
    .slice(0, firstPlaceholder)
    .map((s) => (s.kind === "literal" ? s.text : ""))
    .join("");
  return { segments, keyspace, literalHead, length };
}

/** getRandomValues fills at most 65,536 bytes per call. */
const RANDOM_CHUNK = 65_536;

/**
 * Bytes from the Web Crypto CSPRNG, which Node and browsers both have: the seller's form imports
 * this module for its live preview, so it must not reach for node:crypto.
 */
function randomBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += RANDOM_CHUNK) globalThis.crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + RANDOM_CHUNK)));
  return bytes;
}

/** A pattern must offer this many times more codes than the book will hold, so guessing stays hopeless. */
export const KEYSPACE_FACTOR = 100;

export interface KeyspaceCheck {
  keyspace: number;
  /** KEYSPACE_FACTOR × the codes the book will hold after this batch (or its expected total, if larger). */
  requiredKeyspace: number;
  /** keyspace ÷ requiredKeyspace: at least 1 passes. */
  ratio: number;
  ok: boolean;
  /** The API's refusal (422 PATTERN_TOO_GUESSABLE), shown as is by the form. */
  message: string;
}

/**
 * The keyspace rule of generate (DESIGN §6), one function for the API and the form's live preview:
 * the keyspace must be at least 100 × max(totalCodesExpected, generatedCount + quantity).
 */
export function checkKeyspace(
  keyspace: number,
  book: { totalCodesExpected: number | null; generatedCount: number },
  quantity: number,
): KeyspaceCheck {
  const requiredKeyspace = KEYSPACE_FACTOR * Math.max(book.totalCodesExpected ?? 0, book.generatedCount + quantity);
  return {
    keyspace,
    requiredKeyspace,
    ratio: keyspace / requiredKeyspace,
    ok: keyspace >= requiredKeyspace,
    message: `The pattern makes ${keyspace} codes; at least ${requiredKeyspace} are required (100× the codes of the book)`,
  };
}

/** Fills the pattern `count` times from a CSPRNG, in bulk (one random draw per batch). */
export function fillPattern(parsed: ParsedPattern, count: number): string[] {
  const perCode = parsed.segments.reduce((n, s) => n + (s.kind === "literal" ? 0 : s.length), 0);
  // Digits use rejection sampling (bytes ≥ 250 are redrawn), so draw a little extra.
  let pool = randomBytes(Math.ceil(count * perCode * 1.05) + 16);
  let cursor = 0;
  const nextByte = () => {
    if (cursor >= pool.length) {
      pool = randomBytes(4096);
      cursor = 0;
    }
    return pool[cursor++]!;
  };
  const codes = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    let code = "";
    for (const segment of parsed.segments) {
      if (segment.kind === "literal") {
        code += segment.text;
      } else if (segment.kind === "X") {
        for (let j = 0; j < segment.length; j++) code += PATTERN_ALPHABET[nextByte() & 31];
      } else {
        for (let j = 0; j < segment.length; j++) {
          let byte = nextByte();
          while (byte >= 250) byte = nextByte();
          code += DIGITS[byte % 10];
        }
      }
    }
    codes[i] = code;
  }
  return codes;
}
