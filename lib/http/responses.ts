export const json = (body: unknown, status = 200, headers?: HeadersInit) => Response.json(body, { status, headers });

/** The list envelope of DESIGN §6. */
export interface Page<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}
