"use client";

import { useEffect, useState } from "react";
import type { ExternalToast } from "sonner";
// sonner's stylesheet as a file: the page CSP (style-src with a nonce) refuses the <style> element
// sonner inserts when its module loads, so the file is what styles the toasts.
import "sonner/dist/styles.css";

type Sonner = typeof import("sonner");

/*
 * sonner is loaded on the first toast, not with the page: its module inserts an inline <style> as
 * soon as it is evaluated, which the CSP refuses and reports as a violation on every page. Loaded
 * lazily, only a page that actually shows a toast meets that (refused, harmless) insertion.
 */
let loading: Promise<Sonner> | undefined;
let mount: ((sonner: Sonner) => void) | undefined;
let mounted: Promise<void> | undefined;
let markMounted: (() => void) | undefined;

/** The one toast region, rendered by the root layout; empty until the first toast. */
export function Toaster() {
  const [sonner, setSonner] = useState<Sonner | null>(null);
  useEffect(() => {
    mount = setSonner;
    return () => {
      mount = undefined;
    };
  }, []);
  useEffect(() => {
    // Child effects run first: sonner's Toaster has subscribed by now, so no toast is lost.
    if (sonner) markMounted?.();
  }, [sonner]);
  return sonner ? <sonner.Toaster richColors closeButton position="top-right" /> : null;
}

async function show(kind: "success" | "error" | "info" | "message", message: string, options?: ExternalToast) {
  const sonner = await (loading ??= import("sonner"));
  if (!mounted) {
    // No Toaster on the page (yet): nothing could show the toast, and waiting would hang every later one.
    if (!mount) return;
    mounted = new Promise<void>((resolve) => (markMounted = resolve));
    mount(sonner);
  }
  await mounted;
  sonner.toast[kind](message, options);
}

/** Toasts for the result of an action ("Book created", "Could not save"): `toast.success(...)`. */
export const toast = {
  success: (message: string, options?: ExternalToast) => void show("success", message, options),
  error: (message: string, options?: ExternalToast) => void show("error", message, options),
  info: (message: string, options?: ExternalToast) => void show("info", message, options),
  message: (message: string, options?: ExternalToast) => void show("message", message, options),
};
