"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "./ui/cx";

/** `also`: other paths that belong to the link's section (the shop's checkout is part of Cart). */
export type AreaNavLink = { href: string; label: string; also?: string[] };

/** Whether `pathname` is inside the section `href` starts; the area's root only counts when no other link claims the path. */
function isCurrentSection(pathname: string, link: AreaNavLink, links: AreaNavLink[]) {
  const within = (target: string) => pathname === target || pathname.startsWith(`${target}/`);
  const inSection = (other: AreaNavLink) => [other.href, ...(other.also ?? [])].some(within);
  const deeper = links.filter((other) => other !== link && [other.href, ...(other.also ?? [])].some((target) => target.startsWith(`${link.href}/`)) && inSection(other));
  return inSection(link) && deeper.length === 0;
}

/**
 * An area's sub-navigation (the seller's Books · API keys, the shop's pages). The layout picks the
 * links for the role; this leaf only marks where the user is: `aria-current="page"` on the exact
 * page, `true` inside its section.
 */
export function AreaNav({ label, links }: { label: string; links: AreaNavLink[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="mb-6 border-b border-line">
      <ul className="-mb-px flex flex-wrap gap-x-6">
        {links.map((link) => {
          const current = isCurrentSection(pathname, link, links);
          return (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={current ? (pathname === link.href ? "page" : "true") : undefined}
                className={cx(
                  "inline-block border-b-2 px-1 py-2 text-sm font-medium no-underline hover:no-underline",
                  current ? "border-accent text-fg" : "border-transparent text-muted hover:border-line hover:text-fg",
                )}
              >
                {link.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
