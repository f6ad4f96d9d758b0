import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";

/** Each area's page; signing in with the right role opens it (the others are sent to sign in). */
const AREAS = [
  { href: "/seller", title: "Seller", text: "Coupon books of your business: create, generate codes, activate." },
  { href: "/shop", title: "Shop", text: "Products, offers to claim, a coupon wallet and a checkout that applies codes." },
  { href: "/ops", title: "Ops", text: "Is promo healthy: live dashboard, campaigns and safe unpause, alerts, refunds, jobs." },
];

export default function HomePage() {
  return (
    <>
      <PageHeader
        title="Coupon platform"
        description="Sellers run coupon campaigns, shoppers apply codes at checkout, ops keep abuse in check."
      />
      <p className="text-muted">
        Demo logins: <code>seller@demo.test</code>, <code>shopper@demo.test</code>, <code>ops@demo.test</code>, password <code>demo1234</code>.
      </p>
      <ul className="mt-6 grid list-none gap-4 p-0 sm:grid-cols-3">
        {AREAS.map((area) => (
          <li key={area.title} className="rounded-lg border border-line bg-white p-5">
            <h2 className="text-lg font-semibold"><Link href={area.href}>{area.title}</Link></h2>
            <p className="mt-1 text-muted">{area.text}</p>
          </li>
        ))}
      </ul>
      <h2 className="mt-8 text-lg font-semibold">API</h2>
      <p className="mt-1">
        Every feature is also a JSON API under <code>/api</code>, authenticated with an API key (
        <code className="break-all">npm run cli -- api-key create --business &quot;Demo Shop&quot;</code>). The README and <code>docs/api.md</code> in the
        repository walk through it with curl;{" "}
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a JSON endpoint, not a page; the rule takes app/api/[...path] for one */}
        <a href="/api/health">/api/health</a> reports the database and Redis. <Link href="/docs">The API reference</Link> renders
        every route from the published OpenAPI document.
      </p>
    </>
  );
}
