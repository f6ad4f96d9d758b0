import type { APIRequestContext, APIResponse } from "@playwright/test";
import type { ApiRequest } from "@/testing/api/client";

/** A Playwright answer whose json() is the contract's type of the request's successful answer. */
export type TypedResponse<Answer> = Omit<APIResponse, "json"> & { json(): Promise<Answer> };

/**
 * Sends a request built with apiRequest (testing/api/client.ts) through Playwright: a page's
 * request context carries its session cookie, so the contract types the call and the page signs it.
 */
export function send<Answer>(request: APIRequestContext, call: ApiRequest<Answer>): Promise<TypedResponse<Answer>> {
  return request.fetch(call.path, { method: call.method, headers: call.headers, data: call.body });
}
