import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { startCodeGenerationAction } from "@/app/seller/books/actions";
import { bookForPage, sellerPageActor } from "@/app/seller/page-context";
import { utcMinute } from "@/components/format";
import { GenerateCodesForm } from "@/components/forms/generate-codes-form";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { ResponsiveTable, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import { listGenerationRuns, type GenerationRunDto } from "@/lib/coupons/generation-runs";
import { settings } from "@/lib/env";

export const metadata: Metadata = { title: "Generate codes" };

/** Generates a UNIQUE book's codes from a pattern, with a live preview of samples and the keyspace rule. */
export default async function GenerateCodesPage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const { id } = await params;
  const actor = await sellerPageActor(`/seller/books/${id}/generate`);
  const book = await bookForPage(actor, id);
  const open = book.status !== "ARCHIVED" && book.status !== "EXPIRED";
  const runs = await listGenerationRuns(db, actor, book.id);
  const unfinished = (run: GenerationRunDto) => run.status === "QUEUED" || run.status === "RUNNING";
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
        <GenerateCodesForm
          book={{ id: book.id, generatedCount: book.generatedCount, totalCodesExpected: book.totalCodesExpected }}
          maxQuantity={settings("GENERATE_MAX_QUANTITY").GENERATE_MAX_QUANTITY}
          runs={runs.filter(unfinished)}
          action={startCodeGenerationAction}
        />
      )}
      <FinishedRuns runs={runs.filter((run) => !unfinished(run))} />
    </div>
  );
}

const count = (n: number) => n.toLocaleString("en-US");

/** The book's latest finished runs: what a seller who left the page mid-run finds when they come back. */
function FinishedRuns({ runs }: { runs: GenerationRunDto[] }) {
  if (runs.length === 0) return null;
  return (
    <section aria-labelledby="finished-runs" className="mt-8 grid gap-2">
      <h2 id="finished-runs" className="text-base font-semibold">
        Recent runs
      </h2>
      <ResponsiveTable label="Recent generation runs">
        <THead>
          <Tr>
            <Th>Pattern</Th>
            <Th numeric>Codes</Th>
            <Th>Result</Th>
            <Th>Finished</Th>
          </Tr>
        </THead>
        <TBody>
          {runs.map((run) => (
            <Tr key={run.id}>
              <Td>
                <code>{run.pattern}</code>
              </Td>
              <Td numeric>{run.status === "SUCCEEDED" ? count(run.generated) : `${count(run.generated)} of ${count(run.quantity)}`}</Td>
              <Td>
                <Badge tone={run.status === "SUCCEEDED" ? "success" : "danger"}>{run.status}</Badge>
                {run.error ? <p className="mt-1 max-w-xs text-xs text-muted">{run.error}</p> : null}
              </Td>
              <Td>{run.finishedAt ? <time dateTime={run.finishedAt}>{utcMinute(run.finishedAt)}</time> : "—"}</Td>
            </Tr>
          ))}
        </TBody>
      </ResponsiveTable>
    </section>
  );
}
