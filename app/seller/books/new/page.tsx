import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { createBookAction } from "@/app/seller/books/actions";
import { sellerPageActor } from "@/app/seller/page-context";
import { BookForm } from "@/components/forms/book-form";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "New coupon book" };

/** Creates a DRAFT book for the seller's business; codes are generated or uploaded afterwards. */
export default async function NewBookPage() {
  await connection();
  const actor = await sellerPageActor("/seller/books/new");
  const isSeller = actor.kind === "user" && actor.role === "seller";
  return (
    <div className="mx-auto max-w-3xl">
      <p className="mb-2 text-sm">
        <Link href="/seller">← Coupon books</Link>
      </p>
      <PageHeader title="New coupon book" description="It starts as a draft: add codes, then activate it." />
      {isSeller ? (
        <BookForm mode="create" action={createBookAction} />
      ) : (
        <Alert tone="info">Books belong to a seller&apos;s business: sellers create them from their own console (or through the API with the business&apos;s key).</Alert>
      )}
    </div>
  );
}
