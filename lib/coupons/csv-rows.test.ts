import { describe, expect, it } from "vitest";
import { csvLines, isHeaderLine, parseCodeLine, parseCsvLine, parseStatusCell, type CsvLine } from "./csv-rows";

async function lines(chunks: (string | Uint8Array)[], max?: number) {
  const out: CsvLine[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const line of csvLines(source(), max)) out.push(line);
  return out;
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe("csvLines", () => {
  it("splits LF and CRLF, numbers lines from 1 and keeps blank ones for the caller", async () => {
    const out = await lines(["a,b\r\nc\n\nd"]);
    expect(out.map((l) => [l.line, l.text])).toEqual([
      [1, "a,b"],
      [2, "c"],
      [3, ""],
      [4, "d"],
    ]);
  });

  it("joins lines cut across chunks, including a CRLF split in two and a multi-byte character split in two", async () => {
    const euro = bytes("€");
    const out = await lines([bytes("ab"), bytes("c\r"), bytes("\nx"), euro.slice(0, 1), euro.slice(1), bytes("y\n")]);
    expect(out.map((l) => l.text)).toEqual(["abc", "x€y"]);
  });

  it("drops a UTF-8 BOM", async () => {
    expect((await lines([bytes("\ufeffcode\nA1B\n")])).map((l) => l.text)).toEqual(["code", "A1B"]);
    expect((await lines(["\ufeffcode"])).map((l) => l.text)).toEqual(["code"]);
  });

  it("reports an over-long line once, with its head, and goes on with the next", async () => {
    const out = await lines(["x".repeat(10), "y".repeat(10), "z\nOK1\n", "w".repeat(30)], 8);
    expect(out).toEqual([
      { line: 1, text: "xxxxxxxx", tooLong: true },
      { line: 2, text: "OK1", tooLong: false },
      { line: 3, text: "wwwwwwww", tooLong: true },
    ]);
  });
});

describe("parseCsvLine", () => {
  it("reads plain and quoted cells", () => {
    expect(parseCsvLine("A,b")).toEqual(["A", "b"]);
    expect(parseCsvLine('"A", "b"')).toEqual(["A", "b"]);
    expect(parseCsvLine('"A""B",')).toEqual(['A"B', ""]);
    expect(parseCsvLine('"a,b"')).toEqual(["a,b"]);
    expect(parseCsvLine("")).toEqual([""]);
  });

  it("returns null for broken quoting", () => {
    expect(parseCsvLine('"abc')).toBeNull();
    expect(parseCsvLine('"abc"x,1')).toBeNull();
  });
});

describe("parseStatusCell", () => {
  it.each([
    [undefined, "AVAILABLE"],
    ["", "AVAILABLE"],
    [" Valid ", "AVAILABLE"],
    ["AVAILABLE", "AVAILABLE"],
    ["disabled", "DISABLED"],
    ["INVALID", "DISABLED"],
    ["assigned", undefined],
    ["yes", undefined],
  ])("%s → %s", (cell, status) => {
    expect(parseStatusCell(cell)).toBe(status);
  });
});

describe("parseCodeLine", () => {
  const line = (text: string, tooLong = false): CsvLine => ({ line: 7, text, tooLong });

  it("normalizes the code and maps the status", () => {
    expect(parseCodeLine(line(" vip 001 ,Disabled"))).toEqual({ kind: "code", code: "VIP001", status: "DISABLED" });
    expect(parseCodeLine(line('"summer-1"'))).toEqual({ kind: "code", code: "SUMMER-1", status: "AVAILABLE" });
    expect(parseCodeLine(line("null"))).toEqual({ kind: "code", code: "NULL", status: "AVAILABLE" });
  });

  it("skips blank lines and lines of empty cells", () => {
    expect(parseCodeLine(line("   "))).toEqual({ kind: "blank" });
    expect(parseCodeLine(line(",,"))).toEqual({ kind: "blank" });
  });

  it("reports bad codes, statuses, columns and quoting", () => {
    expect(parseCodeLine(line("ab"))).toMatchObject({ kind: "invalid", value: "ab", error: expect.stringContaining("3–64") });
    expect(parseCodeLine(line("bad.code"))).toMatchObject({ kind: "invalid", value: "bad.code" });
    expect(parseCodeLine(line(",disabled"))).toMatchObject({ kind: "invalid", value: "" });
    expect(parseCodeLine(line("GOOD1,assigned"))).toMatchObject({ kind: "invalid", value: "assigned", error: expect.stringContaining("status") });
    expect(parseCodeLine(line("GOOD1,valid,extra"))).toMatchObject({ kind: "invalid", error: expect.stringContaining("two columns") });
    expect(parseCodeLine(line("GOOD1,valid,,"))).toEqual({ kind: "code", code: "GOOD1", status: "AVAILABLE" });
    expect(parseCodeLine(line('"GOOD1'))).toMatchObject({ kind: "invalid", error: "malformed quotes" });
    expect(parseCodeLine(line("x".repeat(50), true))).toMatchObject({ kind: "invalid", error: expect.stringContaining("longer") });
  });

  it("reports a NUL anywhere in a row as an invalid row, echoed without the NUL (the report may be stored as jsonb)", () => {
    for (const text of ["AB\u0000CD", "GOOD1,valid\u0000", "\u0000", '"GOOD\u00001"', "GOOD1,\u0000"]) {
      const row = parseCodeLine(line(text));
      expect(row).toMatchObject({ kind: "invalid", error: "row contains a NUL character" });
      expect(row.kind === "invalid" && row.value.includes("\u0000")).toBe(false);
    }
    expect(parseCodeLine(line("x\u0000".repeat(30), true))).toMatchObject({ kind: "invalid", value: expect.not.stringContaining("\u0000") });
  });

  it("clips long values in the report", () => {
    const row = parseCodeLine(line("y".repeat(300)));
    expect(row.kind === "invalid" && row.value.length).toBe(101);
  });
});

describe("isHeaderLine", () => {
  it("recognises code as the first cell in any case", () => {
    expect(isHeaderLine("code,status")).toBe(true);
    expect(isHeaderLine(' "Code" ')).toBe(true);
    expect(isHeaderLine("CODE")).toBe(true);
    expect(isHeaderLine("codes,status")).toBe(false);
    expect(isHeaderLine("ABC123")).toBe(false);
  });
});
