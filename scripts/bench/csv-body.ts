/**
 * The bench's upload rows: `UP-` and the row number in base 36, every 10th one `disabled`. Shared by
 * the multipart body the upload service reads and the raw COPY it is compared with, so that both
 * load the same codes.
 */
export function benchCsvRow(n: number): { code: string; disabled: boolean } {
  return { code: `UP-${n.toString(36).toUpperCase().padStart(8, "0")}`, disabled: n % 10 === 0 };
}

/** A multipart body streamed in 64 KiB pieces, rows generated on the fly (nothing built in memory). */
export function multipartCsv(couponBookId: string, rows: number) {
  const boundary = "----bench-boundary-7d1f";
  const encoder = new TextEncoder();
  let next = 0;
  let stage: "head" | "rows" | "tail" | "done" = "head";
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stage === "head") {
        stage = "rows";
        controller.enqueue(
          encoder.encode(
            `--${boundary}\r\nContent-Disposition: form-data; name="couponBookId"\r\n\r\n${couponBookId}\r\n` +
              `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.csv"\r\nContent-Type: text/csv\r\n\r\ncode,status\n`,
          ),
        );
      } else if (stage === "rows") {
        let chunk = "";
        while (next < rows && chunk.length < 64 * 1024) {
          const row = benchCsvRow(next);
          chunk += `${row.code}${row.disabled ? ",disabled" : ""}\n`;
          next++;
        }
        if (next >= rows) stage = "tail";
        controller.enqueue(encoder.encode(chunk));
      } else if (stage === "tail") {
        stage = "done";
        controller.enqueue(encoder.encode(`\r\n--${boundary}--\r\n`));
      } else {
        controller.close();
      }
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
