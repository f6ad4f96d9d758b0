-- Money columns become bigint (lib/pricing/money.ts: MAX_MONEY = 10^15 minor units). One ALTER TABLE
-- per table, so each table is rewritten once rather than once per column.
ALTER TABLE "coupon_books"
  ALTER COLUMN "discount_value" SET DATA TYPE bigint,
  ALTER COLUMN "min_order_amount" SET DATA TYPE bigint,
  ALTER COLUMN "max_discount_amount" SET DATA TYPE bigint,
  ALTER COLUMN "budget_amount" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "purchases"
  ALTER COLUMN "subtotal" SET DATA TYPE bigint,
  ALTER COLUMN "discount_amount" SET DATA TYPE bigint,
  ALTER COLUMN "total" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "redemptions"
  ALTER COLUMN "discount_amount" SET DATA TYPE bigint,
  ALTER COLUMN "order_subtotal" SET DATA TYPE bigint,
  ALTER COLUMN "order_total" SET DATA TYPE bigint;
