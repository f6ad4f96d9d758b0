import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { generateCodesAction } from "@/app/seller/books/actions";
import { bookForPage, sellerPageActor } from "@/app/seller/page-context";
import { GenerateCodesForm } from "@/components/forms/generate-codes-form";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Generate codes" };

/** Generates a UNIQUE book's codes from a pattern, with a live preview of samples and the keyspace rule. */
export default async function GenerateCodesPage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const { id } = await params;
  const actor = await sellerPageActor(`/seller/books/${id}/generate`);
  const book = await bookForPage(actor, id);
  const open = book.status !== "ARCHIVED" && book.status !== "EXPIRED";
  return (
    <div className="mx-auto max-w-3xl">
      <p className="mb-2 text-sm">
        <Link href={`/seller/books/${book.id}`}>← {book.name}</Link>
      </p>
      <PageHeader
        title="Generate codes"
        description={`${book.name} · ${book.generatedCount.toLocaleString("en-US")} codes so far${book.totalCodesExpected ? ` of ${book.totalCodesExpected.toLocaleString("en-US")} expected` : ""}`}
      />
      {book.codeKind !== "UNIQUE" ? (
        <Alert tone="info">
          This book has one generic code{book.code ? <> (<code>{book.code}</code>)</> : null} that every shopper types: there is nothing to generate.
        </Alert>
      ) : !open ? (
        <Alert tone="info">This book is {book.status.toLowerCase()}: it takes no new codes.</Alert>
      ) : (
        <GenerateCodesForm book={{ id: book.id, generatedCount: book.generatedCount, totalCodesExpected: book.totalCodesExpected }} action={generateCodesAction} />
      )}
    </div>
  );
}
