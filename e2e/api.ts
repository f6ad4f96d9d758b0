import { expect, type APIRequestContext, type APIResponse } from "@playwright/test";
import { apiRequest, type ApiBody, type ApiRequest } from "@/testing/api/client";

/** A Playwright answer whose json() is the contract's type of the request's successful answer. */
export type TypedResponse<Answer> = Omit<APIResponse, "json"> & { json(): Promise<Answer> };

/**
 * Sends a request built with apiRequest (testing/api/client.ts) through Playwright: a page's
 * request context carries its session cookie, so the contract types the call and the page signs it.
 */
export function send<Answer>(request: APIRequestContext, call: ApiRequest<Answer>): Promise<TypedResponse<Answer>> {
  return request.fetch(call.path, { method: call.method, headers: call.headers, data: call.body });
}

/** A book of the signed-in seller, created through the API (a DRAFT, 10 % off unless `body` says otherwise). */
export async function createBook(request: APIRequestContext, body: ApiBody<"/api/coupon-books", "post">) {
  const created = await send(request, apiRequest("post", "/api/coupon-books", { body: { discountType: "PERCENT", discountValue: 10, ...body } }));
  expect(created.status(), await created.text()).toBe(201);
  return created.json();
}

/**
 * A book a spec has to itself, so that no spec on the other worker pauses it or takes its codes
 * meanwhile: created, `quantity` codes generated from each pattern, activated.
 */
export async function createActiveBook(request: APIRequestContext, body: ApiBody<"/api/coupon-books", "post">, generate: { pattern: string; quantity: number }[]) {
  const book = await createBook(request, body);
  for (const { pattern, quantity } of generate) {
    const generated = await send(request, apiRequest("post", "/api/coupon-codes/generate", { body: { couponBookId: book.id, quantity, pattern } }));
    expect(generated.status(), await generated.text()).toBe(200);
  }
  const activated = await send(request, apiRequest("patch", "/api/coupon-books/{id}", { path: { id: book.id }, body: { status: "ACTIVE" } }));
  expect(activated.status(), await activated.text()).toBe(200);
  return book;
}
