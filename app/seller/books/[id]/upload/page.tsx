import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { bookForPage, sellerPageActor } from "@/app/seller/page-context";
import { UploadCodesForm } from "@/components/forms/upload-codes-form";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { settings } from "@/lib/env";

export const metadata: Metadata = { title: "Upload codes" };

/** Adds a UNIQUE book's codes from a CSV, with the bytes sent and the server's report of every row it refused. */
export default async function UploadCodesPage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const { id } = await params;
  const actor = await sellerPageActor(`/seller/books/${id}/upload`);
  const book = await bookForPage(actor, id);
  const open = book.status !== "ARCHIVED" && book.status !== "EXPIRED";
  return (
    <div className="mx-auto max-w-3xl">
      <p className="mb-2 text-sm">
        <Link href={`/seller/books/${book.id}`}>← {book.name}</Link>
      </p>
      <PageHeader title="Upload codes" description={`${book.name} · ${book.generatedCount.toLocaleString("en-US")} codes so far`} />
      {book.codeKind !== "UNIQUE" ? (
        <Alert tone="info">
          This book has one generic code{book.code ? <> (<code>{book.code}</code>)</> : null} that every shopper types: it takes no uploaded codes.
        </Alert>
      ) : !open ? (
        <Alert tone="info">This book is {book.status.toLowerCase()}: it takes no new codes.</Alert>
      ) : (
        <UploadCodesForm bookId={book.id} maxBytes={settings("UPLOAD_MAX_BYTES").UPLOAD_MAX_BYTES} />
      )}
    </div>
  );
}
