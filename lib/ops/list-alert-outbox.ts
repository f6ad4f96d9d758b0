import { inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businesses, couponBooks } from "@/db/schema";
import type { Page } from "@/lib/pagination";
import { listAlerts, type AlertDto } from "./list-alerts";
import type { ListAlertsQuery } from "./schemas";

export interface AlertOutboxItem extends AlertDto {
  /** The business's name; null when the alert names none, or the business is gone. */
  businessName: string | null;
  /** The campaign (coupon book) the alert is about, by name and status; null when it names none. */
  book: { name: string; status: string } | null;
}

/**
 * The ops alerts page: the outbox as `GET /api/internal/promo/alerts` lists it (same filters, same
 * page), each alert with the names of its business and campaign, which the API leaves as ids. Two
 * lookups by primary key for the page's alerts, whatever the page size.
 */
export async function listAlertOutbox(db: DbOrTx, query: ListAlertsQuery): Promise<Page<AlertOutboxItem>> {
  const page = await listAlerts(db, query);
  const businessIds = [...new Set(page.data.flatMap((alert) => (alert.businessId ? [alert.businessId] : [])))];
  const bookIds = [...new Set(page.data.flatMap((alert) => (alert.bookId ? [alert.bookId] : [])))];
  const [businessRows, bookRows] = await Promise.all([
    businessIds.length > 0 ? db.select({ id: businesses.id, name: businesses.name }).from(businesses).where(inArray(businesses.id, businessIds)) : [],
    bookIds.length > 0
      ? db.select({ id: couponBooks.id, name: couponBooks.name, status: couponBooks.status }).from(couponBooks).where(inArray(couponBooks.id, bookIds))
      : [],
  ]);
  const businessNames = new Map(businessRows.map((row) => [row.id, row.name]));
  const books = new Map(bookRows.map((row) => [row.id, { name: row.name, status: row.status }]));
  return {
    ...page,
    data: page.data.map((alert) => ({
      ...alert,
      businessName: alert.businessId ? (businessNames.get(alert.businessId) ?? null) : null,
      book: alert.bookId ? (books.get(alert.bookId) ?? null) : null,
    })),
  };
}
