import { logger } from "@/lib/log";

/**
 * A response body pulled from an async iterable of text: the next chunk is produced only when the
 * client has taken the previous one. A failure after the headers went out can only cut the body
 * short; it is logged (without the chunk's content) and the stream errors.
 */
export function textStream(chunks: AsyncIterable<string>, route: string): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        const err = error as Error | undefined;
        logger.error({ route, errorName: err?.name }, "streamed response failed");
        controller.error(error);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
