import { AppError } from "@/lib/errors";

const tooLarge = (maxBytes: number) => new AppError("PAYLOAD_TOO_LARGE", "Request body is too large", { maxBytes });

/**
 * A request body as text, refusing anything over `maxBytes` without reading it all: a declared
 * Content-Length over the limit answers 413 before a byte is read, and a body without one (chunked)
 * is counted as it arrives and cancelled at the first chunk past the limit. Memory stays bounded by
 * the limit plus one chunk, whatever the client sends.
 */
export async function readLimitedText(request: Request, maxBytes: number): Promise<string> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => {});
    throw tooLarge(maxBytes);
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch {
      // The client went away or sent a broken chunked body: nothing of ours failed.
      throw new AppError("VALIDATION_ERROR", "The request body could not be read");
    }
    const { done, value } = next;
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  // Invalid UTF-8 becomes U+FFFD, as request.text() does; it then fails JSON or the schema.
  return new TextDecoder().decode(Buffer.concat(chunks, total));
}
