import { describe, expect, it } from "vitest";
import { csvCell, formatBytes, UploadCodesAnswer, uploadFailureMessage, uploadReportCsv } from "./schemas";

describe("uploadFailureMessage", () => {
  it("names the size limit of a 413", () => {
    expect(uploadFailureMessage(413, { error: "The upload is larger than 1048576 bytes", code: "PAYLOAD_TOO_LARGE", maxBytes: 1048576 })).toBe(
      "The file is too large: the limit is 1 MB. Split it into smaller files and upload them one by one.",
    );
    expect(uploadFailureMessage(413, null)).toMatch(/^The file is too large\. /);
  });

  it("says what to do on 401, 403, 415 and a network error", () => {
    expect(uploadFailureMessage(401, { error: "Authentication required", code: "UNAUTHORIZED" })).toMatch(/Sign in again/);
    expect(uploadFailureMessage(403, { error: "Forbidden", code: "FORBIDDEN" })).toBe("You may not upload codes to this book (Forbidden).");
    expect(uploadFailureMessage(415, { error: "Send a multipart/form-data body", code: "UNSUPPORTED_MEDIA_TYPE" })).toMatch(/multipart\/form-data/);
    expect(uploadFailureMessage(0, undefined)).toMatch(/did not reach the server/);
  });

  it("keeps the API's message of a 400 or 409, and falls back to the status", () => {
    expect(uploadFailureMessage(400, { error: "The form has no file part named file", code: "VALIDATION_ERROR" })).toBe("The form has no file part named file");
    expect(uploadFailureMessage(409, { error: "Book is archived", code: "BOOK_NOT_ACTIVE" })).toBe("Book is archived");
    expect(uploadFailureMessage(502, "<html>Bad gateway</html>")).toBe("The upload failed (HTTP 502). Nothing was saved; try again.");
  });
});

describe("uploadReportCsv", () => {
  it("writes line,code,message with quotes, commas and formulas escaped", () => {
    const csv = uploadReportCsv([
      { row: 4, value: "BAD CODE!", error: "code must be 3–64 characters of A–Z, 0–9, '_' or '-'" },
      { row: 7, value: 'A"B,C', error: "malformed quotes" },
      { row: 9, value: "=HYPERLINK(1)", error: "expected at most two columns: code,status" },
    ]);
    expect(csv).toBe(
      [
        "line,code,message",
        "4,BAD CODE!,\"code must be 3–64 characters of A–Z, 0–9, '_' or '-'\"",
        '7,"A""B,C",malformed quotes',
        "9,'=HYPERLINK(1),\"expected at most two columns: code,status\"",
        "",
      ].join("\r\n"),
    );
  });

  it("quotes line breaks and leaves plain cells bare", () => {
    expect(csvCell("a\nb")).toBe('"a\nb"');
    expect(csvCell("SPRING-1")).toBe("SPRING-1");
    expect(csvCell(12)).toBe("12");
    expect(uploadReportCsv([])).toBe("line,code,message\r\n");
  });
});

describe("UploadCodesAnswer and formatBytes", () => {
  it("parses the route's answer", () => {
    const answer = { uploadedCount: 3, duplicatesCount: 1, invalidRowsCount: 1, couponBookId: "b", errors: [{ row: 5, error: "x", value: "y" }] };
    expect(UploadCodesAnswer.parse(answer)).toEqual(answer);
    expect(UploadCodesAnswer.safeParse({ uploadedCount: "3" }).success).toBe(false);
  });

  it("prints sizes people read", () => {
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(64 * 1024 * 1024)).toBe("64 MB");
    expect(formatBytes(1536)).toBe("1.5 KB");
  });
});
