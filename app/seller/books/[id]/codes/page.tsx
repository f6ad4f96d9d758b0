import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { CodesTable } from "@/components/codes/codes-table";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input, Label, Select } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import { listConsoleCodes } from "@/lib/coupons/list-codes";
import { ListCodesQuery } from "@/lib/coupons/schemas";
import { isAppError } from "@/lib/errors";
import { bookForPage, sellerPageActor } from "@/app/seller/page-context";
import { assignCodeAction, assignRandomCodeAction, disableCodesAction, enableCodesAction } from "./actions";

export const metadata: Metadata = { title: "Codes" };

const PAGE_SIZE = 50;
const STATUSES = ["AVAILABLE", "ASSIGNED", "DISABLED"] as const;
/** How many earlier cursors a URL keeps for "Previous"; "First page" covers anything older. */
const TRAIL_MAX = 20;
/** The first page has no cursor; the trail spells it with this placeholder. */
const FIRST = "-";

type Filters = { status?: (typeof STATUSES)[number]; q?: string };

const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);

function codesHref(bookId: string, filters: Filters, after?: string, trail: string[] = []) {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.q) params.set("q", filters.q);
  if (after) params.set("after", after);
  if (trail.length > 0) params.set("trail", trail.join("."));
  const search = params.toString();
  return `/seller/books/${bookId}/codes${search ? `?${search}` : ""}`;
}

/**
 * A book's codes, 50 a page, by keyset (a page of a 1,000,000-code book costs what the first does):
 * filter by status, search by code prefix, select codes to disable or enable, assign a code, and
 * export every code as CSV. No count(*) per view: the header shows the book's generated count.
 */
export default async function CodesPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const { id } = await params;
  const actor = await sellerPageActor(`/seller/books/${id}/codes`);
  const book = await bookForPage(actor, id);

  const query = await searchParams;
  const rawStatus = one(query.status);
  const status = STATUSES.find((s) => s === rawStatus);
  const parsed = ListCodesQuery.safeParse({ status, q: one(query.q)?.slice(0, 64) || undefined, after: one(query.after) || undefined, limit: PAGE_SIZE });
  const filters: Filters = { status, q: parsed.success ? parsed.data.q || undefined : undefined };
  const after = parsed.success ? parsed.data.after : undefined;
  // Cursors are base64url (no "."), so a dot-joined trail splits back exactly.
  const trail = (one(query.trail) ?? "").split(".").filter(Boolean).slice(-TRAIL_MAX);

  let page: Awaited<ReturnType<typeof listConsoleCodes>> | null = null;
  let stale = false;
  try {
    page = await listConsoleCodes(db, actor, book.id, parsed.success ? parsed.data : { limit: PAGE_SIZE, offset: 0, status });
  } catch (error) {
    // A hand-edited or outdated cursor: say so and offer the first page rather than failing the page.
    if (!isAppError(error) || error.code !== "VALIDATION_ERROR") throw error;
    stale = true;
  }

  const previousCursor = trail.at(-1);
  const previousHref = previousCursor ? codesHref(book.id, filters, previousCursor === FIRST ? undefined : previousCursor, trail.slice(0, -1)) : null;
  const nextHref = page?.nextCursor ? codesHref(book.id, filters, page.nextCursor, [...trail, after ?? FIRST].slice(-TRAIL_MAX)) : null;
  const filtered = Boolean(filters.status || filters.q);

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/seller/books/${book.id}`}>← {book.name}</Link>
      </p>
      <PageHeader
        title={`Codes of ${book.name}`}
        description={
          book.codeKind === "GENERIC"
            ? "One public code, held by every shopper who claims it."
            : `About ${book.generatedCount.toLocaleString("en-US")} codes generated or uploaded.`
        }
        actions={
          <a href={`/api/coupon-books/${book.id}/codes.csv`} className={buttonClasses("secondary")} download>
            Export CSV
          </a>
        }
      />

      <form method="get" action={`/seller/books/${book.id}/codes`} role="search" aria-label="Filter codes" className="mb-6 flex flex-wrap items-end gap-3">
        <div>
          <Label htmlFor="codes-status">Status</Label>
          <Select id="codes-status" name="status" defaultValue={filters.status ?? ""}>
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </div>
        <div className="min-w-0 flex-1 sm:max-w-xs">
          <Label htmlFor="codes-q">Code starts with</Label>
          <Input id="codes-q" name="q" type="search" defaultValue={filters.q ?? ""} autoComplete="off" spellCheck={false} />
        </div>
        <button type="submit" className={buttonClasses("primary")}>
          Apply
        </button>
        {filtered ? (
          <Link href={codesHref(book.id, {})} className={buttonClasses("ghost")}>
            Clear
          </Link>
        ) : null}
      </form>

      {stale || !page ? (
        <Alert className="mb-6">
          This page link is out of date. <Link href={codesHref(book.id, filters)}>Go to the first page</Link>.
        </Alert>
      ) : page.data.length === 0 ? (
        <div className="mb-8">
          <EmptyState title={filtered ? "No codes match" : after ? "No more codes" : "No codes yet"}>
            {filtered ? (
              <Link href={codesHref(book.id, {})}>Show every code</Link>
            ) : after ? (
              <Link href={codesHref(book.id, filters)}>Back to the first page</Link>
            ) : (
              <Link href={`/seller/books/${book.id}/generate`}>Generate codes</Link>
            )}
          </EmptyState>
        </div>
      ) : null}

      <CodesTable
        pager={page && (previousHref || nextHref || after) ? (
        <nav aria-label="Code pages" className="mt-4 flex flex-wrap justify-end gap-2 text-sm">
          {after ? (
            <Link href={codesHref(book.id, filters)} className={buttonClasses("ghost", "sm")}>
              First page
            </Link>
          ) : null}
          {previousHref ? (
            <Link href={previousHref} className={buttonClasses("secondary", "sm")}>
              Previous
            </Link>
          ) : null}
          {nextHref ? (
            <Link href={nextHref} className={buttonClasses("secondary", "sm")}>
              Next
            </Link>
          ) : null}
        </nav>
      ) : null}
        key={`${filters.status ?? ""}|${filters.q ?? ""}|${after ?? ""}`}
        bookId={book.id}
        codes={page?.data ?? []}
        disableCodes={disableCodesAction}
        enableCodes={enableCodesAction}
        assignRandom={assignRandomCodeAction}
        assignCode={assignCodeAction}
      />

    </>
  );
}
