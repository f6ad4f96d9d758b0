/** The resolved caller of a request. Services authorize against it in their queries. */
export type Actor =
  | { kind: "apiKey"; keyId: string; businessId: string }
  | { kind: "internal" }
  | { kind: "user"; role: "seller"; userId: string; businessId: string }
  | { kind: "user"; role: "ops"; userId: string }
  | { kind: "user"; role: "shopper"; userId: string };

export type ActorKind = "apiKey" | "internal" | "seller" | "ops" | "shopper";

export function actorKind(actor: Actor): ActorKind {
  return actor.kind === "user" ? actor.role : actor.kind;
}

/** Sellers and API keys act for exactly one business; ops and internal callers for any. */
export function actorBusinessId(actor: Actor): string | null {
  if (actor.kind === "apiKey") return actor.businessId;
  if (actor.kind === "user" && actor.role === "seller") return actor.businessId;
  return null;
}

export type ShopperActor = Extract<Actor, { role: "shopper" }>;

export const isShopper = (actor: Actor): actor is ShopperActor => actor.kind === "user" && actor.role === "shopper";
export const isOperator = (actor: Actor) => actor.kind === "internal" || (actor.kind === "user" && actor.role === "ops");

/** How the audit trail names the actor. */
export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case "apiKey":
      return `apiKey:${actor.keyId}`;
    case "internal":
      return "internal";
    case "user":
      return `${actor.role}:${actor.userId}`;
  }
}

/** Callers that manage a business's books and codes: its sellers and keys, and ops. */
export const BOOK_MANAGERS = ["apiKey", "seller", "ops", "internal"] as const satisfies readonly ActorKind[];

/** Callers of the coupon lifecycle (assign, lock, unlock, redeem): managers plus signed-in shoppers. */
export const COUPON_USERS = [...BOOK_MANAGERS, "shopper"] as const satisfies readonly ActorKind[];

/** Ops and internal services: the internal promo API (DESIGN §6). */
export const OPERATORS = ["ops", "internal"] as const satisfies readonly ActorKind[];
