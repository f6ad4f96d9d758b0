/**
 * Which console areas each signed-in role may open: the one rule the navigation, proxy.ts and the
 * area layouts share, so a link is shown exactly when its page would let the user in.
 * Only areas that exist are listed (no dead link).
 */
export type Role = "shopper" | "seller" | "ops";

export type AreaLink = { href: string; label: string };

type Area = AreaLink & {
  roles: readonly Role[];
  /** What the sign-in page says to someone whose account may not open the area. */
  forbiddenMessage: string;
};

export const AREAS = [
  {
    href: "/seller",
    label: "Seller",
    // Ops keep /seller: the books list shows them every business (README, app/seller/page.tsx).
    roles: ["seller", "ops"],
    forbiddenMessage: "That page is for sellers. Sign in with a seller account.",
  },
  {
    href: "/shop",
    label: "Shop",
    // The cart, wallet and orders are a shopper's own; sellers and ops use their consoles.
    roles: ["shopper"],
    forbiddenMessage: "The shop is for shoppers. Sign in with a shopper account.",
  },
  {
    href: "/ops",
    label: "Ops",
    // The promo incident console: every business's traffic, pauses, alerts and refunds.
    roles: ["ops"],
    forbiddenMessage: "The ops console is for the ops team. Sign in with an ops account.",
  },
] as const satisfies readonly Area[];

/** Links shown to a signed-out visitor; Sign up only while seller sign-up is open (SELLER_SIGNUP), so it is never a dead end. */
export function signedOutLinks(signUpOpen: boolean): AreaLink[] {
  return [{ href: "/login", label: "Sign in" }, ...(signUpOpen ? [{ href: "/signup", label: "Sign up" }] : [])];
}

/** The area a path belongs to, or undefined for public pages. */
export function areaOfPath(pathname: string): Area | undefined {
  return AREAS.find((area) => pathname === area.href || pathname.startsWith(`${area.href}/`));
}

export function canOpenArea(role: Role, area: Area): boolean {
  return area.roles.includes(role);
}

/** The areas a role may open, in navigation order. */
export function areaLinksFor(role: Role): AreaLink[] {
  return AREAS.filter((area) => canOpenArea(role, area)).map(({ href, label }) => ({ href, label }));
}

/** Where a role lands after signing in without a callbackUrl. */
export function homeOf(role: Role): string {
  if (role === "seller") return "/seller";
  if (role === "shopper") return "/shop";
  return "/ops";
}

/** The sign-in URL that sends the visitor back to `pathname` afterwards. */
export function signInUrl(pathname: string, options: { forbidden?: boolean } = {}): string {
  const params = new URLSearchParams({ callbackUrl: pathname });
  if (options.forbidden) params.set("reason", "forbidden");
  return `/login?${params}`;
}
