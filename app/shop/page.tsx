import type { Metadata } from "next";
import { connection } from "next/server";
import { CartLink, CatalogueCart, QuantityControl } from "@/components/shop/cart-controls";
import { formatMoney } from "@/components/format";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import { listProducts, viewCart, type Product } from "@/lib/shop/cart";
import { STORE } from "@/lib/shop/store";
import { setCartLineAction } from "./actions";
import { shopperPageActor } from "./page-context";

export const metadata: Metadata = { title: "Products" };

/** The catalogue's products, by seller, in listProducts' order (seller, then name). */
function bySeller(products: Product[]) {
  const groups = new Map<string, { sellerName: string; products: Product[] }>();
  for (const product of products) {
    const group = groups.get(product.businessId) ?? { sellerName: product.sellerName, products: [] };
    group.products.push(product);
    groups.set(product.businessId, group);
  }
  return [...groups.entries()];
}

/**
 * The demo store's catalogue, grouped by seller, with the shopper's cart: each product's control
 * starts from what the cart holds and changes it through setCartLineAction (lib/shop/checkout.ts).
 */
export default async function ShopPage() {
  await connection();
  const shopper = await shopperPageActor("/shop");
  const [products, cart] = await Promise.all([listProducts(db), viewCart(db, shopper)]);
  const sellers = bySeller(products);
  const initial = { quantities: Object.fromEntries(cart.lines.map((line) => [line.product.id, line.quantity])), itemCount: cart.itemCount };

  return (
    <CatalogueCart initial={initial} maxQuantity={STORE.maxQuantity} setCartLine={setCartLineAction}>
      <PageHeader
        title="Products"
        description={`${products.length} product${products.length === 1 ? "" : "s"} from ${sellers.length} seller${sellers.length === 1 ? "" : "s"}. A coupon takes off its own seller's items only.`}
        actions={<CartLink />}
      />
      {sellers.length === 0 ? (
        <EmptyState title="Nothing for sale yet">The sellers have not listed any products. Come back later.</EmptyState>
      ) : (
        <div className="grid gap-8">
          {sellers.map(([businessId, { sellerName, products: items }]) => (
            <section key={businessId} aria-labelledby={`seller-${businessId}`}>
              <h2 id={`seller-${businessId}`} className="mb-3 text-lg font-semibold">
                {sellerName}
              </h2>
              <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                {items.map((product) => (
                  <li key={product.id}>
                    <article aria-labelledby={`product-${product.id}`} className="flex h-full flex-col gap-2 rounded-lg border border-line bg-white p-4">
                      <h3 id={`product-${product.id}`} className="font-semibold">
                        {product.name}
                      </h3>
                      {product.description ? <p className="text-sm text-muted">{product.description}</p> : null}
                      <div className="mt-auto flex flex-wrap items-center justify-between gap-3 pt-2">
                        <p className="text-lg font-semibold tabular-nums">{formatMoney(product.unitPrice, product.currency)}</p>
                        <QuantityControl product={{ id: product.id, name: product.name }} />
                      </div>
                    </article>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </CatalogueCart>
  );
}
