import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { db } from "@/db/client";
import { isShopper } from "@/lib/auth/actor";
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
  const actor = await actorFromSession(db, await auth());
  if (!actor) redirect("/login?callbackUrl=/seller");
  if (isShopper(actor)) {
    return (
      <>
        <h1>Seller</h1>
        <p className="muted">This area is for sellers and ops. You are signed in as a shopper.</p>
      </>
    );
  }

  const parsed = ListBooksQuery.safeParse({ limit: "100", ...(await searchParams) });
  const query = parsed.success ? parsed.data : ListBooksQuery.parse({ limit: "100" });
  const page = await listBooks(db, actor, query);

  return (
    <>
      <h1>Coupon books</h1>
      <p className="muted">
        {actor.kind === "user" && actor.role === "ops" ? "All businesses" : "Your business"} · {page.total} book{page.total === 1 ? "" : "s"}
        {page.total > page.data.length ? ` (showing ${page.data.length})` : ""}
      </p>
      {page.data.length === 0 ? (
        <p>No coupon books yet. Create one through the API (see the README).</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Kind</th>
              <th>Discount</th>
              <th className="num">Codes</th>
              <th>Expires</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {page.data.map((book) => (
              <tr key={book.id}>
                <td>
                  {book.name}
                  {book.description ? <div className="muted">{book.description}</div> : null}
                </td>
                <td>
                  <span className="badge" data-status={book.status}>
                    {book.status}
                  </span>
                </td>
                <td>{book.codeKind === "GENERIC" ? <span className="mono">{book.code}</span> : "Unique codes"}</td>
                <td>{discount(book)}</td>
                <td className="num">{book.generatedCount.toLocaleString("en-US")}</td>
                <td>{book.expiresAt ? book.expiresAt.slice(0, 10) : "—"}</td>
                <td>{book.createdAt.slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
