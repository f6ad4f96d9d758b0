import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { BookStatusBadge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ResponsiveTable, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { db } from "@/db/client";
import { isShopper } from "@/lib/auth/actor";
import { signInUrl } from "@/lib/auth/areas";
import { auth } from "@/lib/auth/next-auth";
import { actorFromSession } from "@/lib/auth/session-actor";
import { listBooks } from "@/lib/coupons/list-books";
import { ListBooksQuery } from "@/lib/coupons/schemas";

export const metadata: Metadata = { title: "Seller" };

type Book = Awaited<ReturnType<typeof listBooks>>["data"][number];

function money(minor: number, currency: string) {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

function discount(book: Book) {
  if (book.discountType === "PERCENT") return `${book.discountValue}% off`;
  if (book.discountType === "FIXED") return `${money(book.discountValue, book.currency)} off`;
  return "Free shipping";
}

/** The signed-in seller's coupon books (ops: every business's), newest first. */
export default async function SellerPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  // The layout has turned away everyone else; this narrows the type and covers a session revoked in between.
  const actor = await actorFromSession(db, await auth());
  if (!actor || isShopper(actor)) redirect(signInUrl("/seller", { forbidden: Boolean(actor) }));

  const parsed = ListBooksQuery.safeParse({ limit: "100", ...(await searchParams) });
  const query = parsed.success ? parsed.data : ListBooksQuery.parse({ limit: "100" });
  const page = await listBooks(db, actor, query);
  const scope = actor.kind === "user" && actor.role === "ops" ? "All businesses" : "Your business";

  return (
    <>
      <PageHeader
        title="Coupon books"
        description={
          <>
            {scope} · {page.total} book{page.total === 1 ? "" : "s"}
            {page.total > page.data.length ? ` (showing ${page.data.length})` : ""}
          </>
        }
      />
      {page.data.length === 0 ? (
        <EmptyState title="No coupon books yet">
          Create your first book through the API (<code>POST /api/coupon-books</code>, see the README); it shows up here.
        </EmptyState>
      ) : (
        <ResponsiveTable label="Coupon books">
          <THead>
            <Tr>
              <Th>Name</Th>
              <Th>Status</Th>
              <Th>Kind</Th>
              <Th>Discount</Th>
              <Th numeric>Codes</Th>
              <Th>Expires</Th>
              <Th>Created</Th>
            </Tr>
          </THead>
          <TBody>
            {page.data.map((book) => (
              <Tr key={book.id}>
                <Td className="max-w-72 min-w-48">
                  <span className="font-medium">{book.name}</span>
                  {book.description ? <div className="text-muted">{book.description}</div> : null}
                </Td>
                <Td>
                  <BookStatusBadge status={book.status} />
                </Td>
                <Td className="whitespace-nowrap">{book.codeKind === "GENERIC" ? <code>{book.code}</code> : "Unique codes"}</Td>
                <Td className="whitespace-nowrap">{discount(book)}</Td>
                <Td numeric>{book.generatedCount.toLocaleString("en-US")}</Td>
                <Td className="whitespace-nowrap">{book.expiresAt ? book.expiresAt.slice(0, 10) : "—"}</Td>
                <Td className="whitespace-nowrap">{book.createdAt.slice(0, 10)}</Td>
              </Tr>
            ))}
          </TBody>
        </ResponsiveTable>
      )}
    </>
  );
}
