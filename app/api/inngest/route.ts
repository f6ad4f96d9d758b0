import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

/** The Inngest endpoint (DESIGN §8); it authenticates Inngest's calls with INNGEST_SIGNING_KEY. */
export const { GET, POST, PUT } = serve({ client: inngest, functions });
