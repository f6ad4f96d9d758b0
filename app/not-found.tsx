import type { Metadata } from "next";
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <div className="mx-auto max-w-xl py-10 text-center">
      <p className="text-sm font-semibold text-muted">404</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="mt-2 text-muted">There is no page at this address. It may have moved, or the link may be mistyped.</p>
      <Link href="/" className={buttonClasses("primary", "md", "mt-6")}>
        Go to the home page
      </Link>
    </div>
  );
}
