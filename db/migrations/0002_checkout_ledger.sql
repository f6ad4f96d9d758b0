CREATE TYPE "public"."promo_result" AS ENUM('ACCEPTED', 'INVALID', 'NOT_APPLICABLE', 'EXPIRED', 'PAUSED', 'EXHAUSTED', 'RATE_LIMITED');--> statement-breakpoint
CREATE TYPE "public"."purchase_status" AS ENUM('PENDING', 'PAID', 'REFUNDED', 'CANCELLED');--> statement-breakpoint
CREATE TABLE "book_cap_usage" (
	"book_id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"applied_uses" integer DEFAULT 0 NOT NULL,
	"applied_discount" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "promo_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"normalized_code_hash" text NOT NULL,
	"code_prefix" text NOT NULL,
	"book_id" uuid,
	"attributed_book_id" uuid,
	"user_id" text NOT NULL,
	"ip_hash" text,
	"checkout_id" text,
	"result" "promo_result" NOT NULL,
	"reason" text NOT NULL,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "purchases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"checkout_id" text NOT NULL,
	"order_id" text NOT NULL,
	"subtotal" integer,
	"discount_amount" integer NOT NULL,
	"total" integer,
	"currency" text NOT NULL,
	"status" "purchase_status" DEFAULT 'PENDING' NOT NULL,
	"paid_at" timestamp with time zone,
	"refunded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "redemptions" ADD COLUMN "price_tower" jsonb;--> statement-breakpoint
ALTER TABLE "book_cap_usage" ADD CONSTRAINT "book_cap_usage_book_id_coupon_books_id_fk" FOREIGN KEY ("book_id") REFERENCES "public"."coupon_books"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "promo_attempts_attempted_idx" ON "promo_attempts" USING btree ("attempted_at");--> statement-breakpoint
CREATE INDEX "promo_attempts_book_idx" ON "promo_attempts" USING btree ("book_id","attempted_at");--> statement-breakpoint
CREATE INDEX "promo_attempts_attributed_idx" ON "promo_attempts" USING btree ("attributed_book_id","attempted_at");--> statement-breakpoint
CREATE INDEX "promo_attempts_hash_idx" ON "promo_attempts" USING btree ("normalized_code_hash","attempted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "purchases_business_order_uq" ON "purchases" USING btree ("business_id","order_id");--> statement-breakpoint
CREATE INDEX "purchases_order_idx" ON "purchases" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "purchases_status_idx" ON "purchases" USING btree ("status","updated_at");--> statement-breakpoint
CREATE INDEX "redemptions_checkout_idx" ON "redemptions" USING btree ("checkout_id");