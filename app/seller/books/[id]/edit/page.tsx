import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { updateBookAction } from "@/app/seller/books/actions";
import { bookForPage, sellerPageActor } from "@/app/seller/page-context";
import { BookForm } from "@/components/forms/book-form";
import { BookStatusBadge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Edit coupon book" };

/** The book form, prefilled; only the fields the seller changes are sent. */
export default async function EditBookPage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const { id } = await params;
  const actor = await sellerPageActor(`/seller/books/${id}/edit`);
  const book = await bookForPage(actor, id);
  return (
    <div className="mx-auto max-w-3xl">
      <p className="mb-2 text-sm">
        <Link href={`/seller/books/${book.id}`}>← {book.name}</Link>
      </p>
      <PageHeader
        title={`Edit “${book.name}”`}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <BookStatusBadge status={book.status} />
            {book.codeKind === "UNIQUE" ? <Link href={`/seller/books/${book.id}/generate`}>Generate codes</Link> : null}
          </span>
        }
      />
      <BookForm mode="edit" book={book} action={updateBookAction} />
    </div>
  );
}
