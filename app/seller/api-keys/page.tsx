import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import Link from "next/link";
import { ApiKeysManager } from "@/components/api-keys/api-keys-manager";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import { signInUrl } from "@/lib/auth/areas";
import { listBusinessApiKeys } from "@/lib/auth/api-keys";
import { pageSession } from "@/app/page-session";
import { createApiKeyAction, listApiKeysAction, revokeApiKeyAction } from "./actions";

export const metadata: Metadata = { title: "API keys" };

const PATH = "/seller/api-keys";

/**
 * The seller's API keys (issue 11): the list is rendered here through the same service the actions
 * use; creating and revoking happen in the client leaf through the server actions. The CLI
 * (`npm run cli -- api-key …`) manages the same keys.
 */
export default async function ApiKeysPage() {
  await connection();
  // The layout has turned away shoppers; this narrows the type and covers a session revoked in between.
  const { actor } = await pageSession();
  if (actor?.kind !== "user" || actor.role === "shopper") redirect(signInUrl(PATH, { forbidden: Boolean(actor) }));

  if (actor.role === "ops") {
    // Ops may open the seller area, but a key belongs to one business and ops have none (the service refuses them).
    return (
      <>
        <PageHeader title="API keys" />
        <EmptyState
          title="API keys are managed by sellers"
          action={
            <Link href="/seller" className={buttonClasses("secondary")}>
              Back to coupon books
            </Link>
          }
        >
          Each seller creates and revokes their own business&apos;s keys here. Sign in with a seller account to manage keys.
        </EmptyState>
      </>
    );
  }

  const keys = await listBusinessApiKeys(db, actor);
  return <ApiKeysManager initialKeys={keys} actions={{ list: listApiKeysAction, create: createApiKeyAction, revoke: revokeApiKeyAction }} />;
}
