import { db } from "@/db/client";
import { uploadCouponCodes } from "@/lib/contract/operations/coupon-codes";
import { uploadCodes } from "@/lib/coupons/upload-codes";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// A large CSV is streamed into one transaction; give it the time a generate call gets.
export const maxDuration = 300;

// The body is streamed (busboy), never buffered: keep this route out of any proxy.ts matcher, which
// buffers bodies up to 10 MB and passes a truncated one on (there is no proxy.ts yet).
// POST /api/coupon-codes/upload – upload codes from a CSV (multipart: couponBookId, then file)
const post = withRoute(uploadCouponCodes, async ({ actor, request, query, meta }) =>
  json(
    await uploadCodes(
      db,
      actor,
      {
        contentType: request.headers.get("content-type"),
        contentLength: request.headers.get("content-length"),
        body: request.body,
        couponBookId: query.couponBookId,
      },
      meta,
    ),
  ),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
