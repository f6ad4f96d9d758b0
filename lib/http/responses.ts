export const json = (body: unknown, status = 200, headers?: HeadersInit) => Response.json(body, { status, headers });
