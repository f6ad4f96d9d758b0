import { describe, expect, it } from "vitest";
import { CODE_FORMAT, normalizeCode } from "./codes";
import { checkKeyspace, fillPattern, parsePattern, PATTERN_ALPHABET, PatternError } from "./pattern";

describe("parsePattern", () => {
  it("splits literals and placeholders and computes the keyspace", () => {
    const parsed = parsePattern("SUMMER-{XXXX}");
    expect(parsed.segments).toEqual([
      { kind: "literal", text: "SUMMER-" },
      { kind: "X", length: 4 },
    ]);
    expect(parsed.keyspace).toBe(32 ** 4);
    expect(parsed.literalHead).toBe("SUMMER-");
    expect(parsed.length).toBe(11);
  });

  it("mixes X and # inside one pair of braces and literals between groups", () => {
    const parsed = parsePattern("a{X#X}-b{##}");
    expect(parsed.segments).toEqual([
      { kind: "literal", text: "A" },
      { kind: "X", length: 1 },
      { kind: "#", length: 1 },
      { kind: "X", length: 1 },
      { kind: "literal", text: "-B" },
      { kind: "#", length: 2 },
    ]);
    expect(parsed.keyspace).toBe(32 * 10 * 32 * 100);
    expect(parsed.literalHead).toBe("A");
  });

  it("treats X outside braces as literal text; # outside braces is not a code character", () => {
    const parsed = parsePattern("XX-{#}");
    expect(parsed.segments[0]).toEqual({ kind: "literal", text: "XX-" });
    expect(parsed.keyspace).toBe(10);
    expect(() => parsePattern("##-{X}")).toThrow(PatternError);
  });

  it("has an empty literal head when the pattern starts with a placeholder", () => {
    expect(parsePattern("{XXX}-END").literalHead).toBe("");
  });

  it.each([
    ["SUMMER", "needs at least one"],
    ["A-{XX", "unbalanced"],
    ["A-}XX{", "unbalanced"],
    ["A-{XY}", "only hold X and #"],
    ["A-{}", "only hold X and #"],
    ["A-{{X}}", "unbalanced"],
    ["SÜ-{XX}", "literal text"],
    ["A.{XXX}", "literal text"],
    ["{X}", "3 to 64"],
    [`${"A".repeat(60)}-{XXXXX}`, "3 to 64"],
  ])("rejects %s", (pattern, message) => {
    expect(() => parsePattern(pattern)).toThrow(PatternError);
    expect(() => parsePattern(pattern)).toThrow(message);
  });
});

describe("fillPattern", () => {
  it("makes codes that match the pattern and the stored code format", () => {
    const parsed = parsePattern("BF-{XXXX}-{##}");
    const codes = fillPattern(parsed, 2000);
    expect(codes).toHaveLength(2000);
    const shape = new RegExp(`^BF-[${PATTERN_ALPHABET}]{4}-[0-9]{2}$`);
    for (const code of codes) {
      expect(code).toMatch(shape);
      expect(code).toMatch(CODE_FORMAT);
      expect(normalizeCode(code)).toBe(code);
    }
  });

  it("never uses the ambiguous 0, O, 1 or I in X positions and spreads over the alphabet", () => {
    const codes = fillPattern(parsePattern("{XXXXXXXX}"), 5000).join("");
    expect(codes).not.toMatch(/[01OI]/);
    expect(new Set(codes).size).toBe(32);
  });

  it("draws all ten digits for #", () => {
    const digits = fillPattern(parsePattern("D-{####}"), 2000)
      .map((c) => c.slice(2))
      .join("");
    expect(new Set(digits).size).toBe(10);
  });

  it("makes distinct codes in a large keyspace", () => {
    const codes = fillPattern(parsePattern("U-{XXXXXXXXXX}"), 50_000);
    expect(new Set(codes).size).toBe(50_000);
  });

  it("returns nothing for a count of zero", () => {
    expect(fillPattern(parsePattern("Z-{XXX}"), 0)).toEqual([]);
  });
});

describe("normalizeCode", () => {
  it("trims, upper-cases and removes all whitespace", () => {
    expect(normalizeCode("  summer-ab cd\t\n")).toBe("SUMMER-ABCD");
    expect(normalizeCode("welcome10")).toBe("WELCOME10");
    expect(normalizeCode("\u00a0vip\u2003001 ")).toBe("VIP001");
  });

  it("leaves characters outside the code format for CODE_FORMAT to refuse", () => {
    expect(CODE_FORMAT.test(normalizeCode("ab.cd"))).toBe(false);
    expect(CODE_FORMAT.test(normalizeCode("ab"))).toBe(false);
    expect(CODE_FORMAT.test(normalizeCode("x".repeat(65)))).toBe(false);
    expect(CODE_FORMAT.test(normalizeCode("ok_code-1"))).toBe(true);
  });
});

describe("checkKeyspace", () => {
  it("needs 100× the larger of the expected total and the codes after this batch, with the API's message", () => {
    const weak = checkKeyspace(parsePattern("A-{X}").keyspace, { totalCodesExpected: null, generatedCount: 0 }, 500);
    expect(weak).toMatchObject({ keyspace: 32, requiredKeyspace: 50_000, ok: false });
    expect(weak.ratio).toBeCloseTo(32 / 50_000);
    expect(weak.message).toBe("The pattern makes 32 codes; at least 50000 are required (100× the codes of the book)");
    expect(checkKeyspace(32 ** 4, { totalCodesExpected: 10_000, generatedCount: 0 }, 1)).toMatchObject({ requiredKeyspace: 1_000_000, ok: true });
    expect(checkKeyspace(32 ** 4, { totalCodesExpected: 1, generatedCount: 10_000 }, 486)).toMatchObject({ requiredKeyspace: 1_048_600, ok: false });
  });

  it("draws more random bytes than one getRandomValues call may fill", () => {
    const codes = fillPattern(parsePattern("{XXXXXXXXXXXXXXXX}"), 10_000);
    expect(new Set(codes).size).toBe(10_000);
  });
});
