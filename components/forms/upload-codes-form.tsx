"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { queryKeys } from "@/components/query-keys";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldMessage, Input, Label } from "@/components/ui/field";
import { ResponsiveTable, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatBytes, MAX_REPORTED_ROW_ERRORS, UploadCodesAnswer, uploadFailureMessage, uploadReportCsv } from "@/lib/seller-codes/schemas";

type Phase =
  | { kind: "idle" }
  | { kind: "sending"; loaded: number; total: number }
  | { kind: "processing" }
  | { kind: "done"; report: UploadCodesAnswer; fileName: string }
  | { kind: "failed"; message: string }
  | { kind: "cancelled" };

const UPLOAD_URL = "/api/coupon-codes/upload";
const n = (value: number) => value.toLocaleString("en-US");

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Saves text as a file from the browser: no round trip, the report is already on the page. */
function downloadText(text: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next tick: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * Uploads a CSV of codes to a UNIQUE book. The file goes straight to the streaming upload route with
 * XMLHttpRequest, whose upload progress events are the only way to show real bytes sent (fetch has
 * none); a server action would buffer the whole file. The route reads couponBookId before the file,
 * so the form data is built in that order.
 */
export function UploadCodesForm({ bookId, maxBytes }: { bookId: string; maxBytes: number }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [fileError, setFileError] = useState<string | null>(null);
  const xhrRef = useRef<XMLHttpRequest | null>(null);
  const busy = phase.kind === "sending" || phase.kind === "processing";

  // Leaving the page mid-upload stops the request rather than letting it run unseen.
  useEffect(() => () => xhrRef.current?.abort(), []);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const file = new FormData(event.currentTarget).get("file");
    if (!(file instanceof File) || file.size === 0) {
      setFileError(file instanceof File && file.name ? "The file is empty." : "Choose a CSV file to upload.");
      return;
    }
    if (file.size > maxBytes) {
      setFileError(`The file is ${formatBytes(file.size)}: the limit is ${formatBytes(maxBytes)}. Split it into smaller files.`);
      return;
    }
    setFileError(null);

    const body = new FormData();
    body.append("couponBookId", bookId);
    body.append("file", file, file.name);
    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    xhr.open("POST", UPLOAD_URL);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => setPhase({ kind: "sending", loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    // Every byte is sent: the server now inserts the rows in one transaction, which can take a while.
    xhr.upload.onload = () => setPhase({ kind: "processing" });
    xhr.onload = () => {
      xhrRef.current = null;
      const json = parseJson(xhr.responseText);
      if (xhr.status === 200) {
        const report = UploadCodesAnswer.safeParse(json);
        if (!report.success) {
          setPhase({ kind: "failed", message: "The server's answer could not be read. Reload the book to see whether the codes were added." });
          return;
        }
        setPhase({ kind: "done", report: report.data, fileName: file.name });
        void queryClient.invalidateQueries({ queryKey: queryKeys.books.detail(bookId) });
        void queryClient.invalidateQueries({ queryKey: queryKeys.books.all });
        router.refresh();
        return;
      }
      setPhase({ kind: "failed", message: uploadFailureMessage(xhr.status, json) });
    };
    xhr.onerror = () => {
      xhrRef.current = null;
      setPhase({ kind: "failed", message: uploadFailureMessage(0, undefined) });
    };
    xhr.onabort = () => {
      xhrRef.current = null;
      setPhase({ kind: "cancelled" });
    };
    setPhase({ kind: "sending", loaded: 0, total: file.size });
    xhr.send(body);
  };

  const percent = phase.kind === "sending" && phase.total > 0 ? Math.min(100, Math.round((phase.loaded / phase.total) * 100)) : 0;

  return (
    <div className="grid gap-6">
      <form onSubmit={onSubmit} className="grid gap-4 rounded-lg border border-line bg-white p-4 sm:p-6" noValidate aria-label="Upload codes">
        <div className="grid gap-1">
          <Label htmlFor="upload-file">CSV file</Label>
          <Input
            id="upload-file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            disabled={busy}
            className="h-auto py-1.5 text-sm file:mr-3 file:rounded file:border file:border-line file:bg-panel file:px-2 file:py-1"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={`upload-file-hint${fileError ? " upload-file-error" : ""}`}
            onChange={() => setFileError(null)}
          />
          <FieldMessage id="upload-file-hint">
            One code per line as <code>code[,status]</code>, with an optional header row <code>code,status</code>. A status that is empty,{" "}
            <code>valid</code> or <code>available</code> makes the code available; <code>disabled</code> or <code>invalid</code> adds it disabled. Codes
            are 3–64 characters of A–Z, 0–9, <code>_</code> or <code>-</code>. Up to {formatBytes(maxBytes)}; all rows are added together or none.
          </FieldMessage>
          {fileError ? (
            <FieldMessage id="upload-file-error" tone="error" role="alert">
              {fileError}
            </FieldMessage>
          ) : null}
        </div>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" pending={busy}>
            {busy ? "Uploading…" : "Upload"}
          </Button>
          {phase.kind === "sending" ? (
            <Button variant="secondary" onClick={() => xhrRef.current?.abort()}>
              Cancel
            </Button>
          ) : null}
        </div>
      </form>

      {phase.kind === "sending" ? (
        <div className="grid gap-1">
          <label htmlFor="upload-progress" className="text-sm font-medium">
            Sending the file
          </label>
          <progress id="upload-progress" max={100} value={percent} aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} className="h-3 w-full accent-accent" />
          <p className="text-sm text-muted" aria-live="polite">
            {percent}% · {formatBytes(phase.loaded)} of {formatBytes(phase.total)}
          </p>
        </div>
      ) : null}
      {phase.kind === "processing" ? (
        <div className="grid gap-1" role="status">
          <label htmlFor="upload-processing" className="text-sm font-medium">
            Processing…
          </label>
          <progress id="upload-processing" className="h-3 w-full accent-accent" />
          <p className="text-sm text-muted">The file is sent; the server is checking and adding the codes.</p>
        </div>
      ) : null}
      {phase.kind === "failed" ? <Alert>{phase.message}</Alert> : null}
      {phase.kind === "cancelled" ? <Alert tone="info">Upload cancelled: nothing was added.</Alert> : null}
      {phase.kind === "done" ? <UploadReport report={phase.report} fileName={phase.fileName} /> : null}
    </div>
  );
}

/** The report takes focus when it appears, so keyboard and screen-reader users land on the result (no toast repeats it). */
function UploadReport({ report, fileName }: { report: UploadCodesAnswer; fileName: string }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const problems = report.duplicatesCount + report.invalidRowsCount;
  const reportName = `${fileName.replace(/\.csv$/i, "") || "upload"}-report.csv`;
  return (
    <section aria-labelledby="upload-report" className="grid gap-4 rounded-lg border border-line bg-panel p-4 sm:p-6">
      <h2 id="upload-report" ref={headingRef} tabIndex={-1} className="text-lg font-semibold focus:outline-none">
        Upload report
      </h2>
      <dl className="grid grid-cols-3 gap-4">
        <div>
          <dt className="text-sm text-muted">Uploaded</dt>
          <dd className="text-2xl font-semibold" data-testid="uploaded-count">
            {n(report.uploadedCount)}
          </dd>
        </div>
        <div>
          <dt className="text-sm text-muted">Duplicates</dt>
          <dd className="text-2xl font-semibold" data-testid="duplicates-count">
            {n(report.duplicatesCount)}
          </dd>
        </div>
        <div>
          <dt className="text-sm text-muted">Invalid rows</dt>
          <dd className="text-2xl font-semibold" data-testid="invalid-count">
            {n(report.invalidRowsCount)}
          </dd>
        </div>
      </dl>
      {report.errors.length === 0 ? (
        <p className="text-sm">Every row was added: no duplicates and no invalid rows.</p>
      ) : (
        <>
          <ResponsiveTable label="Rows not added">
            <THead>
              <Tr>
                <Th>Line</Th>
                <Th>Code</Th>
                <Th>Why</Th>
              </Tr>
            </THead>
            <TBody>
              {report.errors.map((e) => (
                <Tr key={e.row}>
                  <Td>{e.row}</Td>
                  <Td className="font-mono break-all">{e.value}</Td>
                  <Td>{e.error}</Td>
                </Tr>
              ))}
            </TBody>
          </ResponsiveTable>
          {problems > report.errors.length ? (
            <p className="text-sm text-muted">
              Showing the first {n(Math.min(report.errors.length, MAX_REPORTED_ROW_ERRORS))} of {n(problems)} rows that were not added (the server reports
              at most {MAX_REPORTED_ROW_ERRORS}).
            </p>
          ) : null}
          <div>
            <Button variant="secondary" onClick={() => downloadText(uploadReportCsv(report.errors), reportName)}>
              Download the report (CSV)
            </Button>
          </div>
        </>
      )}
    </section>
  );
}
