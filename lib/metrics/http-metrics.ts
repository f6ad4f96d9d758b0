import { logger } from "@/lib/log";
import { metrics } from "./registry";

export interface HttpObservation {
  /** The route template (`/api/coupons/:code/lock`), never the raw path: codes would leak into labels. */
  route: string;
  method: string;
  status: number;
  seconds: number;
}

/** Records one API request in http_request_duration_seconds; a metrics problem never fails the request. */
export function observeHttpRequest({ route, method, status, seconds }: HttpObservation) {
  try {
    metrics().httpRequestDuration.observe({ route, method: method.toUpperCase(), status: String(status) }, seconds);
  } catch (error) {
    logger.warn({ route, errorName: (error as Error)?.name }, "metrics: request not observed");
  }
}

/**
 * Times a route handler that does not go through withRoute (health, metrics): `route` is its fixed
 * path. A handler that throws is recorded as a 500, which is what Next answers for it.
 */
export function timed<C>(route: string, handler: (request: Request, context: C) => Promise<Response>) {
  return async (request: Request, context: C): Promise<Response> => {
    const started = performance.now();
    let status = 500;
    try {
      const response = await handler(request, context);
      status = response.status;
      return response;
    } finally {
      observeHttpRequest({ route, method: request.method, status, seconds: (performance.now() - started) / 1000 });
    }
  };
}
