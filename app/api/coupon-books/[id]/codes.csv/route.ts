import { db } from "@/db/client";
import { exportCouponBookCodes } from "@/lib/contract/operations/coupon-books";
import { exportCodes } from "@/lib/coupons/export-codes";
import { textStream } from "@/lib/http/stream";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// A million-code book streams for a while.
export const maxDuration = 300;

// GET /api/coupon-books/:id/codes.csv – every code of the book as CSV (streamed)
const get = withRoute(exportCouponBookCodes, async ({ actor, params }) => {
  const file = await exportCodes(db, actor, params.id);
  return new Response(textStream(file.chunks, "/api/coupon-books/:id/codes.csv"), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
    },
  });
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get });
