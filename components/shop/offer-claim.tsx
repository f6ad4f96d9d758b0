"use client";

import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/lib/http/server-action";

type ClaimOffer = (input: unknown) => Promise<ActionResult<{ code: string }>>;

/**
 * An offer's claim area: how many codes the shopper holds of the most allowed, and the Claim button
 * while a claim can succeed. A claimed code shows at once with the way to the wallet; a refusal
 * (the most codes held, none left) shows the service's own message and retires the button, so
 * the shopper never faces a button that can only fail.
 */
export function OfferClaim({
  couponBookId,
  offerName,
  held: initialHeld,
  maxPerShopper,
  hasCodesLeft,
  claimOffer,
}: {
  couponBookId: string;
  offerName: string;
  held: number;
  maxPerShopper: number;
  hasCodesLeft: boolean;
  claimOffer: ClaimOffer;
}) {
  const [held, setHeld] = useState(initialHeld);
  const [soldOut, setSoldOut] = useState(!hasCodesLeft);
  const [claimed, setClaimed] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const full = held >= maxPerShopper;

  async function claim() {
    setPending(true);
    setRefusal(null);
    try {
      const result = await claimOffer({ couponBookId });
      if (result.ok) {
        setClaimed(result.data.code);
        setHeld((n) => n + 1);
        toast.success(`Claimed ${result.data.code}: it is in your wallet`);
        return;
      }
      if (result.code === "MAX_CODES_PER_USER_REACHED") setHeld(maxPerShopper);
      if (result.code === "NO_CODES_AVAILABLE" || result.code === "BOOK_NOT_FOUND") setSoldOut(true);
      setRefusal(result.error);
      toast.error(result.error);
    } catch {
      setRefusal("The claim could not be sent. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="grid gap-3">
      <p className="text-sm">
        You hold <strong>{held}</strong> of the {maxPerShopper} code{maxPerShopper === 1 ? "" : "s"} allowed per shopper.
      </p>
      {claimed ? (
        <div role="status" className="rounded-md border border-success/40 bg-success/10 px-3 py-2 text-sm">
          Your code: <code className="font-mono text-base font-semibold break-all">{claimed}</code>.{" "}
          <Link href="/shop/wallet">See it in your wallet</Link>
        </div>
      ) : null}
      {refusal ? <Alert>{refusal}</Alert> : null}
      {/* Without a button, the offer says why (unless the refusal above just said it). */}
      {full ? (
        claimed ? null : (
          <p className="text-sm text-muted">
            {refusal ? null : "You already hold as many codes of this offer as it allows. "}
            <Link href="/shop/wallet">Open your wallet</Link>
          </p>
        )
      ) : soldOut ? (
        refusal ? null : <p className="text-sm text-muted">All codes of this offer have been claimed.</p>
      ) : (
        <div>
          <Button pending={pending} onClick={() => void claim()}>
            {pending ? "Claiming…" : "Claim"}
            <span className="sr-only">: {offerName}</span>
          </Button>
        </div>
      )}
    </div>
  );
}
