import { Readable, Transform, pipeline } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import busboy from "busboy";
import { AppError } from "@/lib/errors";

export type MultipartPart =
  | { kind: "field"; name: string; value: string; truncated: boolean }
  | { kind: "file"; name: string; filename: string; chunks: AsyncIterable<Buffer> };

export interface MultipartLimits {
  /** Largest file part; one byte more answers 413 as soon as it arrives. */
  fileBytes: number;
  /** Largest request body, all parts and framing included (guards chunked bodies without Content-Length). */
  totalBytes: number;
  files?: number;
  fields?: number;
  fieldBytes?: number;
}

export const isMultipart = (contentType: string | null) => contentType !== null && /^multipart\/form-data\s*(;|$)/i.test(contentType);

const malformed = () => new AppError("VALIDATION_ERROR", "Malformed multipart body");

/** The bytes of a file part; busboy's plain errors (a cut-off body) become a 400, limits stay 413. */
async function* fileChunks(stream: Readable): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    throw error instanceof AppError ? error : malformed();
  }
}

const tooLarge = (limit: number) => new AppError("PAYLOAD_TOO_LARGE", `The upload is larger than ${limit} bytes`, { maxBytes: limit });

/**
 * The parts of a multipart/form-data body, in order, as they arrive: busboy over the request stream,
 * nothing buffered. A file part must be read (or left, and it is skipped) before the next part
 * comes. Limits fail the iteration with 413; a malformed body with 400. Leaving the loop early
 * (break or throw) stops reading the request.
 */
export async function* multipartParts(
  body: ReadableStream<Uint8Array>,
  contentType: string,
  limits: MultipartLimits,
): AsyncGenerator<MultipartPart> {
  const files = limits.files ?? 1;
  const fields = limits.fields ?? 20;
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      // busboy flags a file as truncated once it reaches fileSize, so allow exactly fileBytes.
      limits: { fileSize: limits.fileBytes + 1, files, fields, fieldSize: limits.fieldBytes ?? 1024 },
    });
  } catch {
    throw new AppError("VALIDATION_ERROR", "Malformed multipart Content-Type (no boundary)");
  }

  const queue: { part: MultipartPart; stream?: Readable }[] = [];
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const fail = (error: unknown) => {
    failure ??= error instanceof AppError ? error : malformed();
    notify();
  };

  parser.on("field", (name, value, info) => {
    queue.push({ part: { kind: "field", name, value, truncated: info.valueTruncated } });
    notify();
  });
  parser.on("file", (name, stream, info) => {
    stream.on("error", () => {}); // the reader sees the error through its own iteration
    stream.once("limit", () => stream.destroy(tooLarge(limits.fileBytes)));
    queue.push({ part: { kind: "file", name, filename: info.filename ?? "", chunks: fileChunks(stream) }, stream });
    notify();
  });
  // busboy drops parts over its limits without an error; a part the caller never sees must not
  // pass for an upload that went through (a second CSV would be ignored and the answer say 200).
  parser.on("filesLimit", () => fail(new AppError("VALIDATION_ERROR", `The form has more than ${files} file part${files === 1 ? "" : "s"}`)));
  parser.on("fieldsLimit", () => fail(new AppError("VALIDATION_ERROR", `The form has more than ${fields} fields`)));
  parser.on("close", () => {
    finished = true;
    notify();
  });

  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limits.totalBytes) callback(tooLarge(limits.fileBytes));
      else callback(null, chunk);
    },
  });
  const source = Readable.fromWeb(body as WebReadableStream<Uint8Array>);
  pipeline(source, counter, parser, (error) => {
    if (error) fail(error);
  });

  try {
    for (;;) {
      if (failure) throw failure;
      const next = queue.shift();
      if (next) {
        yield next.part;
        // A file the caller did not read to the end is skipped, so the parts after it can come.
        if (next.stream && !next.stream.destroyed) next.stream.resume();
        continue;
      }
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (!finished) {
      source.destroy();
      parser.destroy();
    }
  }
}
