"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { queryKeys } from "@/components/query-keys";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { FieldMessage, Input, Label } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { ResponsiveTable, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { toast } from "@/components/ui/toaster";
import { CreateApiKeyInput, type ApiKeySummary, type CreatedApiKey, type RevokeApiKeyInput } from "@/lib/auth/schemas";
import type { ActionResult } from "@/lib/http/server-action";


export interface ApiKeysActions {
  list: (input: Record<string, never>) => Promise<ActionResult<ApiKeySummary[]>>;
  create: (input: CreateApiKeyInput) => Promise<ActionResult<CreatedApiKey>>;
  revoke: (input: RevokeApiKeyInput) => Promise<ActionResult<{ id: string; revokedAt: string }>>;
}

/** A timestamp the same on the server and in every browser (no hydration mismatch): `2026-11-05 14:03 UTC`. */
function when(iso: string) {
  return (
    <time dateTime={iso} className="whitespace-nowrap">
      {iso.slice(0, 10)} {iso.slice(11, 16)} UTC
    </time>
  );
}

/**
 * The seller's API keys: the server-rendered list seeds the query (`queryKeys.apiKeys.all`), which
 * every create and revoke invalidates. A new key's secret lives only in the create dialog's state,
 * never in the query cache, and is dropped when the dialog closes.
 */
export function ApiKeysManager({ initialKeys, actions }: { initialKeys: ApiKeySummary[]; actions: ApiKeysActions }) {
  const queryClient = useQueryClient();
  const keys = useQuery({
    queryKey: queryKeys.apiKeys.all,
    queryFn: async () => {
      const result = await actions.list({});
      if (!result.ok) throw new Error(result.error);
      return result.data;
    },
    initialData: initialKeys,
  });
  const [revoking, setRevoking] = useState<ApiKeySummary | null>(null);
  const revoke = useMutation({
    mutationFn: (key: ApiKeySummary) => actions.revoke({ keyId: key.id }),
    onSuccess: (result, key) => {
      if (!result.ok) {
        toast.error(`Could not revoke ${key.name}: ${result.error}`);
        return;
      }
      toast.success(`Revoked ${key.name}`);
      setRevoking(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys.all });
    },
    onError: () => toast.error("Could not revoke the key; check your connection and try again"),
  });

  const list = keys.data;
  return (
    <>
      <PageHeader
        title="API keys"
        description="Your servers call the coupon API with these keys (Authorization: Bearer cpk_…)."
        actions={<CreateApiKeyDialog create={actions.create} />}
      />
      {keys.isError ? <Alert className="mb-4">The list could not be refreshed; what you see may be out of date. Reload the page to try again.</Alert> : null}
      {list.length === 0 ? (
        <EmptyState title="No API keys yet">Create a key for each server or integration that calls the coupon API; you can revoke one without touching the others.</EmptyState>
      ) : (
        <ResponsiveTable label="API keys">
          <THead>
            <Tr>
              <Th>Name</Th>
              <Th>Key</Th>
              <Th>Created</Th>
              <Th>Last used</Th>
              <Th>Status</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </Tr>
          </THead>
          <TBody>
            {list.map((key) => (
              <Tr key={key.id}>
                <Td className="max-w-64 min-w-32 font-medium break-words">{key.name}</Td>
                <Td>
                  <code className="whitespace-nowrap">cpk_{key.prefix}_…</code>
                </Td>
                <Td>{when(key.createdAt)}</Td>
                <Td>{key.lastUsedAt ? when(key.lastUsedAt) : <span className="text-muted">never</span>}</Td>
                <Td>
                  {key.revokedAt ? (
                    <Badge tone="neutral">Revoked on {key.revokedAt.slice(0, 10)}</Badge>
                  ) : (
                    <Badge tone="success">Active</Badge>
                  )}
                </Td>
                <Td className="text-right">
                  {key.revokedAt ? null : (
                    <Button variant="secondary" size="sm" onClick={() => setRevoking(key)}>
                      Revoke<span className="sr-only"> {key.name}</span>
                    </Button>
                  )}
                </Td>
              </Tr>
            ))}
          </TBody>
        </ResponsiveTable>
      )}
      <Dialog
        open={revoking !== null}
        onOpenChange={(open) => {
          if (!open && !revoke.isPending) setRevoking(null);
        }}
        title={`Revoke ${revoking?.name ?? "key"}?`}
        description="Calls with this key get 401 at once on this server, and within 30 seconds on every other instance. This cannot be undone: create a new key for the caller instead."
      >
        <div className="flex flex-wrap justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary" disabled={revoke.isPending}>
              Cancel
            </Button>
          </DialogClose>
          <Button variant="danger" pending={revoke.isPending} onClick={() => revoking && revoke.mutate(revoking)}>
            Revoke key
          </Button>
        </div>
      </Dialog>
    </>
  );
}

type FormValues = z.input<typeof CreateApiKeyInput>;

const SECRET_FIELD = "new-api-key";

/**
 * Create: a name (validated with the API's own schema), then the secret, once, with a Copy button.
 * Closing the dialog forgets the secret; the list only ever shows the prefix.
 */
function CreateApiKeyDialog({ create }: { create: ApiKeysActions["create"] }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [copyStatus, setCopyStatus] = useState("");
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<FormValues, unknown, CreateApiKeyInput>({ resolver: zodResolver(CreateApiKeyInput), defaultValues: { name: "" } });

  const onOpenChange = (next: boolean) => {
    if (!next && isSubmitting) return;
    setOpen(next);
    if (!next) {
      setCreated(null);
      setCopyStatus("");
      reset();
    }
  };

  const onSubmit = handleSubmit(async (values) => {
    let result: ActionResult<CreatedApiKey>;
    try {
      result = await create(values);
    } catch {
      setError("root.server", { type: "server", message: "The key could not be created; check your connection and try again" });
      return;
    }
    if (!result.ok) {
      const fields = Object.entries(result.fieldErrors);
      for (const [field, message] of fields) {
        if (field === "name") setError("name", { type: "server", message }, { shouldFocus: true });
      }
      if (!fields.some(([field]) => field === "name")) setError("root.server", { type: "server", message: result.error });
      return;
    }
    setCreated(result.data);
    toast.success(`Created ${result.data.name}`);
    void queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys.all });
  });

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.key);
      setCopyStatus("Copied");
    } catch {
      // No clipboard (permission refused, an insecure origin): select the text so a keyboard copy works.
      (document.getElementById(SECRET_FIELD) as HTMLInputElement | null)?.select();
      setCopyStatus("Could not copy: the key is selected, copy it with your keyboard");
    }
  };

  const nameError = errors.name?.message;
  const formError = errors.root?.server?.message;
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      trigger={<Button>Create API key</Button>}
      title={created ? "Copy your new API key" : "Create API key"}
      description={created ? `${created.name} is active now.` : "Name the key after the server or integration that will use it."}
    >
      {created ? (
        <div className="grid gap-4">
          <Alert tone="info">This is the only time the key is shown. Copy it now and store it as a secret; if you lose it, revoke it and create another.</Alert>
          <div className="grid gap-1">
            <Label htmlFor={SECRET_FIELD}>API key</Label>
            <div className="flex gap-2">
              <Input
                id={SECRET_FIELD}
                readOnly
                value={created.key}
                className="min-w-0 font-mono text-sm"
                onFocus={(event) => event.currentTarget.select()}
                spellCheck={false}
                autoComplete="off"
              />
              <Button variant="secondary" onClick={copy}>
                Copy
              </Button>
            </div>
            <p role="status" aria-live="polite" className="min-h-5 text-sm text-muted">
              {copyStatus}
            </p>
          </div>
          <div className="flex justify-end">
            <DialogClose asChild>
              <Button>Done</Button>
            </DialogClose>
          </div>
        </div>
      ) : (
        <form onSubmit={onSubmit} className="grid gap-4" noValidate>
          {formError ? <Alert>{formError}</Alert> : null}
          <div className="grid gap-1">
            <Label htmlFor="api-key-name">Name</Label>
            <Input
              id="api-key-name"
              autoComplete="off"
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? "api-key-name-error" : undefined}
              {...register("name")}
            />
            {nameError ? (
              <FieldMessage id="api-key-name-error" tone="error">
                {nameError}
              </FieldMessage>
            ) : null}
          </div>
          <div className="flex flex-wrap justify-end gap-2">
            <DialogClose asChild>
              <Button variant="secondary" disabled={isSubmitting}>
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" pending={isSubmitting}>
              Create key
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
