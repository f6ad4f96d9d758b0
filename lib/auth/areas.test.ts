import { describe, expect, it } from "vitest";
import { areaLinksFor, areaOfPath, canOpenArea, homeOf, signInUrl } from "./areas";

describe("console areas by role", () => {
  it("links only the areas a role may open", () => {
    expect(areaLinksFor("seller")).toEqual([{ href: "/seller", label: "Seller" }]);
    expect(areaLinksFor("ops")).toEqual([
      { href: "/seller", label: "Seller" },
      { href: "/ops", label: "Ops" },
    ]);
    expect(areaLinksFor("shopper")).toEqual([{ href: "/shop", label: "Shop" }]);
  });

  it("finds the area of a path, not of a path that merely starts with its name", () => {
    expect(areaOfPath("/seller")?.href).toBe("/seller");
    expect(areaOfPath("/seller/books/1")?.href).toBe("/seller");
    expect(areaOfPath("/sellers")).toBeUndefined();
    expect(areaOfPath("/")).toBeUndefined();
    expect(areaOfPath("/login")).toBeUndefined();
    // The API reference is public: proxy.ts lets a signed-out visitor in.
    expect(areaOfPath("/docs")).toBeUndefined();
  });

  it("keeps shoppers out of the seller area and lands each role on its own page", () => {
    const seller = areaOfPath("/seller")!;
    const shop = areaOfPath("/shop/cart")!;
    expect(canOpenArea("shopper", seller)).toBe(false);
    expect(canOpenArea("seller", seller)).toBe(true);
    expect(canOpenArea("shopper", shop)).toBe(true);
    expect(canOpenArea("seller", shop)).toBe(false);
    expect(canOpenArea("ops", shop)).toBe(false);
    const ops = areaOfPath("/ops/campaigns")!;
    expect(ops.href).toBe("/ops");
    expect(canOpenArea("ops", ops)).toBe(true);
    expect(canOpenArea("seller", ops)).toBe(false);
    expect(canOpenArea("shopper", ops)).toBe(false);
    expect(areaOfPath("/opsx")).toBeUndefined();
    expect(homeOf("seller")).toBe("/seller");
    expect(homeOf("ops")).toBe("/ops");
    expect(homeOf("shopper")).toBe("/shop");
  });

  it("builds the sign-in URL with the way back and the reason", () => {
    expect(signInUrl("/seller")).toBe("/login?callbackUrl=%2Fseller");
    expect(signInUrl("/seller", { forbidden: true })).toBe("/login?callbackUrl=%2Fseller&reason=forbidden");
  });
});
