import type { Metadata } from "next";
import { connection } from "next/server";
import Link from "next/link";
import { BookStatusBadge } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { Input, Label, Select } from "@/components/ui/field";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ResponsiveTable, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { sellerPageActor } from "@/app/seller/page-context";
import { db } from "@/db/client";
import { listBooksWithUsage } from "@/lib/coupons/list-books";
import { BOOK_STATUSES, ListBooksQuery } from "@/lib/coupons/schemas";
import { discountLabel, formatMoney } from "@/components/format";

export const metadata: Metadata = { title: "Seller" };

type Book = Awaited<ReturnType<typeof listBooksWithUsage>>["data"][number];

const PAGE_SIZE = 50;


const percent = (ratio: number | null) => (ratio === null ? "—" : `${(ratio * 100).toFixed(ratio > 0 && ratio < 0.1 ? 1 : 0)}%`);

/** Spent (applied + held by live reservations) against the budget cap, or what was given when uncapped. */
function budget(book: Book) {
  const spent = book.usage.discountApplied + book.usage.discountReserved;
  return book.budgetAmount === null ? `${formatMoney(spent, book.currency)} given` : `${formatMoney(spent, book.currency)} of ${formatMoney(book.budgetAmount, book.currency)}`;
}

/** A link to another page of the same search. */
function pageHref(query: ListBooksQuery, offset: number) {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.status) params.set("status", query.status);
  if (offset > 0) params.set("offset", String(offset));
  const search = params.toString();
  return search ? `/seller?${search}` : "/seller";
}

/**
 * The signed-in seller's coupon books (ops: every business's), newest first, each with the usage the
 * ops API shows (one service: lib/coupons/book-usage.ts); search by name, filter by status, 50 a page.
 */
export default async function SellerPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const actor = await sellerPageActor("/seller");

  // The search form sends empty fields ("Any status"): an empty value means no filter, not a bad one.
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, value]) => typeof value === "string" && value.trim() !== ""));
  const parsed = ListBooksQuery.safeParse({ ...raw, limit: String(PAGE_SIZE), q: typeof raw.q === "string" ? raw.q.trim() : undefined });
  const query = parsed.success ? parsed.data : ListBooksQuery.parse({ limit: String(PAGE_SIZE) });
  const page = await listBooksWithUsage(db, actor, query);
  const scope = actor.kind === "user" && actor.role === "ops" ? "All businesses" : "Your business";
  const filtered = Boolean(query.q || query.status);
  const shownFrom = page.total === 0 ? 0 : page.offset + 1;
  const shownTo = page.offset + page.data.length;

  return (
    <>
      <PageHeader
        title="Coupon books"
        description={
          <>
            {scope} · {page.total} book{page.total === 1 ? "" : "s"}
            {filtered ? " match" : ""}
          </>
        }
        actions={
          actor.kind === "user" && actor.role === "seller" ? (
            <Link href="/seller/books/new" className={buttonClasses()}>
              New book
            </Link>
          ) : null
        }
      />
      <form method="get" action="/seller" role="search" aria-label="Coupon books" className="mb-4 flex flex-wrap items-end gap-3">
        <div className="grid min-w-48 flex-1 gap-1">
          <Label htmlFor="books-q">Name</Label>
          <Input id="books-q" name="q" type="search" defaultValue={query.q ?? ""} placeholder="Search by name" />
        </div>
        <div className="grid gap-1">
          <Label htmlFor="books-status">Status</Label>
          <Select id="books-status" name="status" defaultValue={query.status ?? ""}>
            <option value="">Any status</option>
            {BOOK_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status.charAt(0) + status.slice(1).toLowerCase()}
              </option>
            ))}
          </Select>
        </div>
        <Button type="submit" variant="secondary">
          Search
        </Button>
        {filtered ? (
          <Link href="/seller" className={buttonClasses("ghost")}>
            Clear
          </Link>
        ) : null}
      </form>
      {page.data.length === 0 ? (
        filtered ? (
          <EmptyState title="No books match">Try another name or status, or clear the search.</EmptyState>
        ) : (
          <EmptyState
            title="No coupon books yet"
            action={
              actor.kind === "user" && actor.role === "seller" ? (
                <Link href="/seller/books/new" className={buttonClasses("primary")}>
                  Create your first book
                </Link>
              ) : undefined
            }
          >
            A book is a campaign: its discount, its limits and its codes. Create one here or through the API (<code>POST /api/coupon-books</code>).
          </EmptyState>
        )
      ) : (
        <>
          <ResponsiveTable label="Coupon books">
            <THead>
              <Tr>
                <Th>Name</Th>
                <Th>Status</Th>
                <Th>Discount</Th>
                <Th numeric>Codes</Th>
                <Th numeric>Assigned</Th>
                <Th numeric>Redeemed</Th>
                <Th numeric>Conversion</Th>
                <Th>Budget</Th>
                <Th>Expires</Th>
              </Tr>
            </THead>
            <TBody>
              {page.data.map((book) => (
                <Tr key={book.id}>
                  <Td className="max-w-72 min-w-48">
                    <Link href={`/seller/books/${book.id}`} className="font-medium">
                      {book.name}
                    </Link>
                    <div className="text-muted">
                      {book.codeKind === "GENERIC" ? (
                        <>
                          Public code <code>{book.code}</code>
                        </>
                      ) : (
                        "Unique codes"
                      )}
                      {book.description ? ` · ${book.description}` : ""}
                    </div>
                  </Td>
                  <Td>
                    <BookStatusBadge status={book.status} />
                    {book.status === "PAUSED" && book.pausedBy ? <div className="mt-1 text-xs text-muted">by {book.pausedBy}</div> : null}
                  </Td>
                  <Td className="whitespace-nowrap">{discountLabel(book)}</Td>
                  <Td numeric>{book.generatedCount.toLocaleString("en-US")}</Td>
                  <Td numeric>{book.usage.assignments.toLocaleString("en-US")}</Td>
                  <Td numeric>{book.usage.redeemedAssignments.toLocaleString("en-US")}</Td>
                  <Td numeric>{percent(book.usage.conversion)}</Td>
                  <Td className="whitespace-nowrap">{budget(book)}</Td>
                  <Td className="whitespace-nowrap">{book.expiresAt ? book.expiresAt.slice(0, 10) : "—"}</Td>
                </Tr>
              ))}
            </TBody>
          </ResponsiveTable>
          <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm">
            <span className="text-muted">
              {shownFrom}–{shownTo} of {page.total}
            </span>
            <span className="flex gap-2">
              {page.offset > 0 ? (
                <Link href={pageHref(query, Math.max(0, page.offset - PAGE_SIZE))} className={buttonClasses("secondary", "sm")}>
                  Previous
                </Link>
              ) : null}
              {shownTo < page.total ? (
                <Link href={pageHref(query, page.offset + PAGE_SIZE)} className={buttonClasses("secondary", "sm")}>
                  Next
                </Link>
              ) : null}
            </span>
          </nav>
        </>
      )}
    </>
  );
}
