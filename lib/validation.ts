import { z } from "zod";

const count = (n: number | bigint) => Number(n).toLocaleString("en-US");
const plural = (n: number | bigint, one: string) => `${count(n)} ${one}${Number(n) === 1 ? "" : "s"}`;

/**
 * Messages a person can act on, for every schema's generic checks (a form shows them as they are,
 * and API clients get them in `details`): "must be at least 1" rather than zod's "Too small:
 * expected number to be >=1". A schema's own message still wins. Set here because every schema
 * module imports this one, on the server and in the browser alike.
 */
z.config({
  customError: (issue) => {
    switch (issue.code) {
      case "invalid_type":
        if (issue.input === undefined) return "Required";
        if (issue.expected === "int") return "must be a whole number";
        // JSON has no NaN: only a form's empty number field sends one.
        if (Number.isNaN(issue.input)) return "Enter a number";
        return `must be ${/^[aeiou]/.test(issue.expected) ? "an" : "a"} ${issue.expected}`;
      case "too_small": {
        const min = issue.minimum as number | bigint;
        if (issue.origin === "string") return Number(min) === 1 ? "Required" : `must be at least ${plural(min, "character")}`;
        if (issue.origin === "array" || issue.origin === "set") return `must have at least ${plural(min, "item")}`;
        if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint") return issue.inclusive ? `must be at least ${count(min)}` : `must be more than ${count(min)}`;
        return undefined;
      }
      case "too_big": {
        const max = issue.maximum as number | bigint;
        if (issue.origin === "string") return `must be at most ${plural(max, "character")}`;
        if (issue.origin === "array" || issue.origin === "set") return `must have at most ${plural(max, "item")}`;
        if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint") return issue.inclusive ? `must be at most ${count(max)}` : `must be less than ${count(max)}`;
        return undefined;
      }
      default:
        return undefined;
    }
  },
});

export const UNSTORABLE_MESSAGE = "must not contain NUL characters or unpaired UTF-16 surrogates";

/** True when a string carries U+0000 anywhere. */
export const hasNul = (value: string) => value.includes("\u0000");

// In a `u` regex a well-formed surrogate pair is one code point, so \p{Cs} matches only a lone half.
const NUL_OR_LONE_SURROGATE = /\u0000|\p{Cs}/u;

/**
 * True when a string holds what PostgreSQL cannot store: U+0000 (refused in text, 22021, and in
 * jsonb, 22P05) or an unpaired surrogate (JSON's `"\ud800"` escape: refused in json, 22P02, and
 * silently turned into U+FFFD in text, so a value would not read back as it was sent).
 */
export const hasUnstorableCharacter = (value: string) => NUL_OR_LONE_SURROGATE.test(value);

/**
 * The string building block of every input schema: a character PostgreSQL cannot store that got
 * past validation would surface as a 500 from deep inside a query.
 * Use it instead of `z.string()` (ESLint enforces this in schema files).
 */
export const text = () => z.string().refine((value) => !hasUnstorableCharacter(value), { message: UNSTORABLE_MESSAGE, abort: true });

const FIRST_INSTANT_MS = Date.parse("0001-01-01T00:00:00.000Z");
const LAST_INSTANT_MS = Date.parse("9999-12-31T23:59:59.999Z");
export const INSTANT_RANGE_MESSAGE = "must be a date between the years 0001 and 9999";

/**
 * Whether an instant is one every store and client here round-trips: years 0001–9999, UTC. Beyond
 * them PostgreSQL refuses what it is sent (year 0, or the six-digit `+010000-…` an ISO string
 * becomes after 9999) with a 500 from inside the query. An invalid Date is outside too.
 */
export const isStorableInstant = (date: Date) => date.getTime() >= FIRST_INSTANT_MS && date.getTime() <= LAST_INSTANT_MS;

/** An ISO 8601 date and time with its offset (or Z), as a Date in the storable range. */
export const isoInstant = () =>
  z.iso
    .datetime({ offset: true })
    .transform((value) => new Date(value))
    .refine(isStorableInstant, { message: INSTANT_RANGE_MESSAGE });

/**
 * Whether "YYYY-MM-DD" and "hh:mm:ss" name a real instant in the storable range (2026-02-30 and
 * 25:61:61 do not): for cursors, whose text goes back to PostgreSQL as a timestamp.
 */
export function isRealTimestamp(date: string, time: string): boolean {
  const at = new Date(`${date}T${time}Z`);
  return isStorableInstant(at) && at.toISOString().slice(0, 19) === `${date}T${time}`;
}

/**
 * Where in a parsed JSON value an unstorable character sits (`["items", 0, "sku"]`), in a key or a
 * string; undefined when there is none. Iterative, and each node keeps only a link to its parent:
 * a body nested a million levels deep that JSON.parse accepted must neither overflow the stack nor
 * copy paths.
 */
export function findUnstorableCharacter(value: unknown): (string | number)[] | undefined {
  type Node = { value: unknown; key?: string | number; parent?: Node };
  const pathOf = (node: Node | undefined, last?: string) => {
    const path: (string | number)[] = last === undefined ? [] : [last];
    for (let at = node; at && at.key !== undefined; at = at.parent) path.unshift(at.key);
    return path;
  };
  const stack: Node[] = [{ value }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const current = node.value;
    if (typeof current === "string") {
      if (hasUnstorableCharacter(current)) return pathOf(node);
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => stack.push({ value: item, key: index, parent: node }));
    } else if (current !== null && typeof current === "object") {
      for (const [key, item] of Object.entries(current)) {
        if (hasUnstorableCharacter(key)) return pathOf(node, key);
        stack.push({ value: item, key, parent: node });
      }
    }
  }
  return undefined;
}
