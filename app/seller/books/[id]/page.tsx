import type { Metadata } from "next";
import Link from "next/link";
import { utcMinute } from "@/components/format";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { BookStatusActions } from "@/components/books/book-status-actions";
import { BudgetBurnChart } from "@/components/charts/budget-burn-chart";
import { formatMoney } from "@/components/charts/format";
import { FunnelChart } from "@/components/charts/funnel-chart";
import { RedemptionsChart } from "@/components/charts/redemptions-chart";
import { RefusalMixChart } from "@/components/charts/refusal-mix-chart";
import { Alert } from "@/components/ui/alert";
import { BookStatusBadge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ResponsiveTable, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { db } from "@/db/client";
import { getBookInsights } from "@/lib/coupons/book-insights";
import { allowedTransitions } from "@/lib/coupons/book-transitions";
import { getBook } from "@/lib/coupons/get-book";
import { listBookAudit } from "@/lib/coupons/list-book-audit";
import { isPausedByOperator } from "@/lib/coupons/paused-by";
import { BOOK_INSIGHT_WINDOWS, BookIdParams, BookInsightsQuery } from "@/lib/coupons/schemas";
import { isAppError } from "@/lib/errors";
import { sellerPageActor } from "@/app/seller/page-context";
import { setBookStatusAction } from "./actions";

export const metadata: Metadata = { title: "Coupon book" };

const AUDIT_PAGE = 20;
const WINDOW_LABELS: Record<keyof typeof BOOK_INSIGHT_WINDOWS, string> = { "24h": "24 hours", "7d": "7 days", "30d": "30 days" };

type Book = Awaited<ReturnType<typeof getBook>>;
type Audit = Awaited<ReturnType<typeof listBookAudit>>;
type Window = keyof typeof BOOK_INSIGHT_WINDOWS;

/** A BOOK_NOT_FOUND from a service (another business's book, or none) is this page's 404. */
async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (isAppError(error) && error.code === "BOOK_NOT_FOUND") notFound();
    throw error;
  }
}

function discount(book: Book) {
  if (book.discountType === "PERCENT") return `${book.discountValue}% off`;
  if (book.discountType === "FIXED") return `${formatMoney(book.discountValue, book.currency)} off`;
  return "Free shipping";
}


function validity(book: Book) {
  if (!book.validFrom && !book.expiresAt) return "No start or end date";
  return `${book.validFrom ? utcMinute(book.validFrom) : "Now"} → ${book.expiresAt ? utcMinute(book.expiresAt) : "no end date"}`;
}

function bookHref(bookId: string, window: Window, auditOffset = 0) {
  const params = new URLSearchParams();
  if (window !== "7d") params.set("window", window);
  if (auditOffset > 0) params.set("auditOffset", String(auditOffset));
  const search = params.toString();
  return `/seller/books/${bookId}${search ? `?${search}` : ""}`;
}

/** Why ops (or the guard) paused the book: the newest PAUSE row's reason, when it is in view. */
function pauseReason(audit: Audit): string | null {
  const pause = audit.data.find((row) => row.action === "PAUSE");
  const reason = (pause?.details as { reason?: unknown } | null | undefined)?.reason;
  return typeof reason === "string" && reason.trim() !== "" ? reason : null;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-sm text-muted">{label}</dt>
      <dd className="mt-0.5 font-medium break-words">{children}</dd>
    </div>
  );
}

/**
 * One coupon book: its terms and usage, status buttons (the service's own transition rule), charts
 * of the window the URL names (computed on the server, drawn by client islands) and its audit trail,
 * 20 entries a page. A book the caller may not see is a 404, like the API's.
 */
export default async function BookPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const { id } = await params;
  const actor = await sellerPageActor(`/seller/books/${id}`);
  const parsedId = BookIdParams.safeParse({ id });
  if (!parsedId.success) notFound();
  const bookId = parsedId.data.id;

  const query = await searchParams;
  const { window } = BookInsightsQuery.parse({ window: query.window });
  const requestedOffset = Number(typeof query.auditOffset === "string" ? query.auditOffset : 0);
  const auditOffset = Number.isSafeInteger(requestedOffset) && requestedOffset > 0 ? requestedOffset : 0;

  const [book, insights, audit] = await Promise.all([
    orNotFound(getBook(db, actor, bookId)),
    orNotFound(getBookInsights(db, actor, bookId, { window })),
    orNotFound(listBookAudit(db, actor, bookId, { limit: AUDIT_PAGE, offset: auditOffset })),
  ]);
  const pausedByOperator = book.status === "PAUSED" && isPausedByOperator(book.pausedBy);
  const newestAudit = pausedByOperator && auditOffset > 0 ? await listBookAudit(db, actor, bookId, { limit: AUDIT_PAGE, offset: 0 }) : audit;
  const reason = pausedByOperator ? pauseReason(newestAudit) : null;
  const allowed = allowedTransitions(actor, book);
  const shownTo = audit.offset + audit.data.length;

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/seller">← Coupon books</Link>
      </p>
      <PageHeader
        title={book.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <BookStatusBadge status={book.status} />
            <span>
              {discount(book)} ·{" "}
              {book.codeKind === "GENERIC" ? (
                <>
                  Public code <code>{book.code}</code>
                </>
              ) : (
                "Unique codes"
              )}
            </span>
          </span>
        }
        actions={
          <span className="flex flex-wrap items-center gap-2">
            <Link href={`/seller/books/${book.id}/codes`} className={buttonClasses("secondary")}>
              Codes
            </Link>
            {book.codeKind === "UNIQUE" && book.status !== "ARCHIVED" && book.status !== "EXPIRED" ? (
              <>
                <Link href={`/seller/books/${book.id}/generate`} className={buttonClasses("secondary")}>
                  Generate codes
                </Link>
                <Link href={`/seller/books/${book.id}/upload`} className={buttonClasses("secondary")}>
                  Upload CSV
                </Link>
              </>
            ) : null}
            <BookStatusActions bookId={book.id} bookName={book.name} status={book.status} allowed={allowed} setStatus={setBookStatusAction} />
          </span>
        }
      />

      {book.status === "PAUSED" && book.pausedBy ? (
        pausedByOperator ? (
          <Alert tone="info" className="mb-6">
            <strong>Paused by {book.pausedBy.startsWith("system:") ? `the ${book.pausedBy.slice("system:".length)} job (${book.pausedBy})` : `ops (${book.pausedBy})`}</strong>
            {reason ? <>: {reason}</> : null}. Only ops can resume it; contact support if you think this is a mistake.
          </Alert>
        ) : (
          <p className="mb-6 text-sm text-muted">Paused by {book.pausedBy}.</p>
        )
      ) : null}

      {book.description ? <p className="mb-4 max-w-prose">{book.description}</p> : null}

      <section aria-labelledby="book-terms" className="mb-8">
        <h2 id="book-terms" className="sr-only">
          Terms and usage
        </h2>
        <dl className="grid grid-cols-2 gap-4 rounded-lg border border-line p-4 sm:grid-cols-3 lg:grid-cols-4">
          <Fact label="Validity">{validity(book)}</Fact>
          <Fact label="Minimum order">{book.minOrderAmount > 0 ? formatMoney(book.minOrderAmount, book.currency) : "None"}</Fact>
          <Fact label="Per shopper">
            {book.maxCodesPerUser} code{book.maxCodesPerUser === 1 ? "" : "s"}, {book.maxRedeemsPerUser} use{book.maxRedeemsPerUser === 1 ? "" : "s"} each
          </Fact>
          <Fact label="Shoppers claim codes">{book.selfServiceClaim ? "Yes, on the offers page" : "No"}</Fact>
          <Fact label="Codes">{insights.funnel.codes.toLocaleString("en-US")}</Fact>
          <Fact label="Assigned">{insights.funnel.assigned.toLocaleString("en-US")}</Fact>
          <Fact label="Redeemed">{insights.funnel.redeemed.toLocaleString("en-US")}</Fact>
          <Fact label="Uses">
            {insights.uses.toLocaleString("en-US")}
            {book.maxTotalRedemptions !== null ? ` of ${book.maxTotalRedemptions.toLocaleString("en-US")}` : ""}
          </Fact>
          <Fact label="Discount given">
            {formatMoney(insights.budget.spent, book.currency)}
            {insights.budget.cap !== null ? ` of ${formatMoney(insights.budget.cap, book.currency)}` : ""}
          </Fact>
        </dl>
      </section>

      <section aria-labelledby="book-charts" className="mb-8">
        <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
          <h2 id="book-charts" className="text-lg font-semibold">
            Activity
          </h2>
          <nav aria-label="Chart window" className="flex gap-1">
            {(Object.keys(BOOK_INSIGHT_WINDOWS) as Window[]).map((w) => (
              <Link
                key={w}
                href={bookHref(book.id, w)}
                aria-current={w === window ? "page" : undefined}
                title={`Last ${WINDOW_LABELS[w]}`}
                className={buttonClasses(w === window ? "primary" : "secondary", "sm")}
              >
                {w}
              </Link>
            ))}
          </nav>
        </div>
        <div className="grid gap-4 lg:grid-cols-2">
          <FunnelChart funnel={insights.funnel} />
          <RedemptionsChart series={insights.series} bucket={insights.bucket} currency={insights.currency} />
          <BudgetBurnChart series={insights.series} budget={insights.budget} bucket={insights.bucket} currency={insights.currency} />
          <RefusalMixChart refusals={insights.refusals} />
        </div>
      </section>

      <section aria-labelledby="book-audit">
        <h2 id="book-audit" className="mb-3 text-lg font-semibold">
          Audit trail
        </h2>
        {audit.data.length === 0 ? (
          <EmptyState title={audit.total === 0 ? "No audit entries yet" : "No entries on this page"}>
            {audit.total === 0 ? "Changes to the book and its codes show up here." : <Link href={bookHref(book.id, window)}>Back to the newest entries</Link>}
          </EmptyState>
        ) : (
          <>
            <ResponsiveTable label="Audit entries">
              <THead>
                <Tr>
                  <Th>At</Th>
                  <Th>Action</Th>
                  <Th>Actor</Th>
                  <Th>User</Th>
                  <Th>Status change</Th>
                  <Th>Checkout / order</Th>
                </Tr>
              </THead>
              <TBody>
                {audit.data.map((row) => (
                  <Tr key={row.id}>
                    <Td className="whitespace-nowrap">{utcMinute(row.at)}</Td>
                    <Td>{row.action}</Td>
                    <Td className="break-all">{row.actor}</Td>
                    <Td className="break-all">{row.userId ?? "—"}</Td>
                    <Td className="whitespace-nowrap">{row.previousStatus || row.newStatus ? `${row.previousStatus ?? "—"} → ${row.newStatus ?? "—"}` : "—"}</Td>
                    <Td className="break-all">{[row.checkoutId, row.orderId].filter(Boolean).join(" / ") || "—"}</Td>
                  </Tr>
                ))}
              </TBody>
            </ResponsiveTable>
            <nav aria-label="Audit pages" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm">
              <span className="text-muted">
                {audit.offset + 1}–{shownTo} of {audit.total}
              </span>
              <span className="flex gap-2">
                {audit.offset > 0 ? (
                  <Link href={bookHref(book.id, window, Math.max(0, audit.offset - AUDIT_PAGE))} className={buttonClasses("secondary", "sm")}>
                    Newer
                  </Link>
                ) : null}
                {shownTo < audit.total ? (
                  <Link href={bookHref(book.id, window, audit.offset + AUDIT_PAGE)} className={buttonClasses("secondary", "sm")}>
                    Older
                  </Link>
                ) : null}
              </span>
            </nav>
          </>
        )}
      </section>
    </>
  );
}
