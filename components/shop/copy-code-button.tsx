"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";

/**
 * Copies a coupon code to the clipboard and says so: the button reads "Copied" for a moment, and a
 * polite live region announces it to screen readers. Where the clipboard is refused (an insecure
 * page, a denied permission) a toast asks the shopper to copy it by hand.
 */
export function CopyCodeButton({ code }: { code: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2_000);
    return () => clearTimeout(timer);
  }, [copied]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
    } catch {
      toast.error(`Could not copy. Select ${code} and copy it yourself.`);
    }
  }

  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => void copy()}>
        {copied ? "Copied" : "Copy"}
        <span className="sr-only"> code {code}</span>
      </Button>
      <span role="status" className="sr-only">
        {copied ? `Copied ${code}` : ""}
      </span>
    </>
  );
}
