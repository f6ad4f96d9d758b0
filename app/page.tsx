import Link from "next/link";

const AREAS = [
  { href: "/seller", title: "Seller", text: "Coupon books of your business: create, generate codes, activate." },
  { href: "/shop", title: "Shop", text: "The shopper's coupon wallet and a demo checkout (coming in a later release)." },
  { href: "/ops", title: "Ops", text: "Conversion and abuse dashboards, campaigns and alerts (coming in a later release)." },
];

export default function HomePage() {
  return (
    <>
      <h1>Coupon platform</h1>
      <p className="muted">
        Sellers run coupon campaigns, shoppers apply codes at checkout, ops keep abuse in check. Demo logins:{" "}
        <code>seller@demo.test</code>, <code>shopper@demo.test</code>, <code>ops@demo.test</code>, password <code>demo1234</code>.
      </p>
      <ul className="tiles">
        {AREAS.map((area) => (
          <li key={area.href} className="card">
            <h2>
              <Link href={area.href}>{area.title}</Link>
            </h2>
            <p className="muted">{area.text}</p>
          </li>
        ))}
      </ul>
      <h2>API</h2>
      <p>
        Every feature is also a JSON API under <code>/api</code>, authenticated with an API key (
        <code>npm run cli -- api-key create --business &quot;Demo Shop&quot;</code>). The README and <code>docs/api.md</code> in the
        repository walk through it with curl;{" "}
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a JSON endpoint, not a page; the rule takes app/api/[...path] for one */}
        <a href="/api/health">/api/health</a> reports the database and Redis.
      </p>
    </>
  );
}
