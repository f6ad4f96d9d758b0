import Link from "next/link";
import { buttonClasses } from "./ui/button";

export type HeaderUser = { email: string; role: "shopper" | "seller" | "ops" };
export type NavLink = { href: string; label: string };

/** Public, so shown signed in or out, after the areas. */
const API_DOCS: NavLink = { href: "/docs", label: "API docs" };

/**
 * The header every page shares. It takes what to show as props (the layout decides from
 * lib/auth/areas.ts which areas the user may open), so it never links to a page that would turn the
 * user away; the API docs (/docs) are public and linked for everyone. It wraps onto two lines on a
 * phone: Sign out stays on screen at 390 px.
 */
export function AppHeader({
  user,
  links,
  signOutAction,
}: {
  user: HeaderUser | null;
  /** Areas the signed-in user may open, or the signed-out links (Sign in, and Sign up once it exists). */
  links: NavLink[];
  signOutAction: () => Promise<void>;
}) {
  return (
    <header className="border-b border-line bg-panel">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/" className="font-semibold text-fg no-underline hover:no-underline">
          Coupon platform
        </Link>
        <nav aria-label="Main" className="flex flex-wrap gap-4">
          {[...(user ? links : []), API_DOCS].map((link) => (
            <Link key={link.href} href={link.href} className="font-medium no-underline hover:underline">
              {link.label}
            </Link>
          ))}
        </nav>
        {user ? (
          <div className="ml-auto flex min-w-0 flex-wrap items-center gap-x-3 gap-y-1 text-sm text-muted">
            <span className="min-w-0 break-all">
              {user.email} ({user.role})
            </span>
            <form action={signOutAction}>
              <button type="submit" className={buttonClasses("secondary", "sm")}>
                Sign out
              </button>
            </form>
          </div>
        ) : (
          <nav aria-label="Account" className="ml-auto flex flex-wrap items-center gap-3">
            {links.map((link, index) => (
              <Link key={link.href} href={link.href} className={index === 0 ? buttonClasses("secondary", "sm") : "font-medium"}>
                {link.label}
              </Link>
            ))}
          </nav>
        )}
      </div>
    </header>
  );
}
