import type { ReactNode } from "react";

/**
 * A chart's frame: a named figure (its caption is the accessible name), the drawing hidden from
 * screen readers, and the same numbers as a visually hidden table, which is also what the server
 * renders before the client draws.
 */
export function ChartFigure({ title, summary, children, table }: { title: string; summary?: ReactNode; children: ReactNode; table: ReactNode }) {
  return (
    <figure className="min-w-0 rounded-lg border border-line p-4">
      <figcaption className="font-semibold">{title}</figcaption>
      {summary ? <p className="mt-1 text-sm text-muted">{summary}</p> : null}
      <div aria-hidden="true" className="mt-3 h-64 w-full min-w-0">
        {children}
      </div>
      <div className="sr-only">{table}</div>
    </figure>
  );
}

/** The hidden table of a chart's numbers: a header row and one row per point. */
export function ChartTable({ caption, headers, rows }: { caption: string; headers: string[]; rows: (string | number)[][] }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {headers.map((header) => (
            <th key={header} scope="col">
              {header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={index}>
            {row.map((cell, column) =>
              column === 0 ? (
                <th key={column} scope="row">
                  {cell}
                </th>
              ) : (
                <td key={column}>{cell}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
