import { randomBytes } from "node:crypto";

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

/** Fills the pattern `count` times from a CSPRNG, in bulk (one randomBytes call per batch). */
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
