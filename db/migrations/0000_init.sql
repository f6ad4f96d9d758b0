CREATE TYPE "public"."assignment_status" AS ENUM('ASSIGNED', 'LOCKED', 'REDEEMED');--> statement-breakpoint
CREATE TYPE "public"."book_status" AS ENUM('DRAFT', 'ACTIVE', 'PAUSED', 'EXPIRED', 'ARCHIVED');--> statement-breakpoint
CREATE TYPE "public"."code_kind" AS ENUM('UNIQUE', 'GENERIC');--> statement-breakpoint
CREATE TYPE "public"."code_status" AS ENUM('AVAILABLE', 'ASSIGNED', 'DISABLED');--> statement-breakpoint
CREATE TYPE "public"."discount_type" AS ENUM('PERCENT', 'FIXED', 'FREE_SHIPPING');--> statement-breakpoint
CREATE TYPE "public"."redemption_status" AS ENUM('PR_RESERVED', 'PR_APPLIED', 'PR_RELEASED', 'PR_EXPIRED', 'PR_REVOKED');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('shopper', 'seller', 'ops');--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"hash" text NOT NULL,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_keys_prefix_unique" UNIQUE("prefix")
);
--> statement-breakpoint
CREATE TABLE "businesses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "businesses_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "coupon_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"code_id" uuid NOT NULL,
	"book_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"status" "assignment_status" DEFAULT 'ASSIGNED' NOT NULL,
	"redeem_count" integer DEFAULT 0 NOT NULL,
	"locked_at" timestamp with time zone,
	"locked_until" timestamp with time zone,
	"lock_checkout_id" text,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	"redeemed_at" timestamp with time zone,
	CONSTRAINT "coupon_assignments_redeem_count_nonneg" CHECK ("coupon_assignments"."redeem_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "coupon_books" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"status" "book_status" DEFAULT 'DRAFT' NOT NULL,
	"code_kind" "code_kind" DEFAULT 'UNIQUE' NOT NULL,
	"discount_type" "discount_type" DEFAULT 'FIXED' NOT NULL,
	"discount_value" integer DEFAULT 0 NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"min_order_amount" integer DEFAULT 0 NOT NULL,
	"max_discount_amount" integer,
	"max_codes_per_user" integer DEFAULT 1 NOT NULL,
	"max_redeems_per_user" integer DEFAULT 1 NOT NULL,
	"max_total_redemptions" integer,
	"budget_amount" integer,
	"total_codes_expected" integer,
	"generated_count" integer DEFAULT 0 NOT NULL,
	"code_prefix" text,
	"valid_from" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"lock_ttl_seconds" integer DEFAULT 300 NOT NULL,
	"paused_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coupon_books_limits_positive" CHECK ("coupon_books"."max_codes_per_user" > 0 and "coupon_books"."max_redeems_per_user" > 0),
	CONSTRAINT "coupon_books_lock_ttl_positive" CHECK ("coupon_books"."lock_ttl_seconds" > 0)
);
--> statement-breakpoint
CREATE TABLE "coupon_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"book_id" uuid NOT NULL,
	"code" text NOT NULL,
	"status" "code_status" DEFAULT 'AVAILABLE' NOT NULL,
	"random_key" integer DEFAULT (floor(random() * 2147483647))::int NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "redemption_audit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"book_id" uuid,
	"code_id" uuid,
	"assignment_id" uuid,
	"action" text NOT NULL,
	"actor" text NOT NULL,
	"user_id" text,
	"previous_status" text,
	"new_status" text,
	"redeem_count" integer,
	"max_redeems" integer,
	"is_final_redeem" boolean,
	"checkout_id" text,
	"order_id" text,
	"ip" text,
	"user_agent" text,
	"details" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "redemptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"assignment_id" uuid NOT NULL,
	"book_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"checkout_id" text NOT NULL,
	"order_id" text,
	"status" "redemption_status" NOT NULL,
	"discount_amount" integer DEFAULT 0 NOT NULL,
	"order_subtotal" integer,
	"order_total" integer,
	"currency" text,
	"redeem_number" integer,
	"max_redeems" integer,
	"reserved_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"applied_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" "user_role" NOT NULL,
	"business_id" uuid,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_seller_has_business" CHECK ("users"."role" <> 'seller' or "users"."business_id" is not null)
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_assignments" ADD CONSTRAINT "coupon_assignments_code_id_coupon_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."coupon_codes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_assignments" ADD CONSTRAINT "coupon_assignments_book_id_coupon_books_id_fk" FOREIGN KEY ("book_id") REFERENCES "public"."coupon_books"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_books" ADD CONSTRAINT "coupon_books_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_codes" ADD CONSTRAINT "coupon_codes_book_id_coupon_books_id_fk" FOREIGN KEY ("book_id") REFERENCES "public"."coupon_books"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_assignment_id_coupon_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."coupon_assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_book_id_coupon_books_id_fk" FOREIGN KEY ("book_id") REFERENCES "public"."coupon_books"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_business_idx" ON "api_keys" USING btree ("business_id");--> statement-breakpoint
CREATE UNIQUE INDEX "coupon_assignments_code_user_uq" ON "coupon_assignments" USING btree ("code_id","user_id");--> statement-breakpoint
CREATE INDEX "coupon_assignments_book_user_idx" ON "coupon_assignments" USING btree ("book_id","user_id");--> statement-breakpoint
CREATE INDEX "coupon_assignments_business_user_idx" ON "coupon_assignments" USING btree ("business_id","user_id","assigned_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "coupon_books_business_created_idx" ON "coupon_books" USING btree ("business_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "coupon_codes_business_code_uq" ON "coupon_codes" USING btree ("business_id","code");--> statement-breakpoint
CREATE INDEX "coupon_codes_available_random_idx" ON "coupon_codes" USING btree ("book_id","random_key") WHERE "coupon_codes"."status" = 'AVAILABLE';--> statement-breakpoint
CREATE INDEX "coupon_codes_book_created_idx" ON "coupon_codes" USING btree ("book_id","created_at" DESC NULLS LAST,"code");--> statement-breakpoint
CREATE UNIQUE INDEX "idempotency_keys_scope_key_uq" ON "idempotency_keys" USING btree ("scope","key");--> statement-breakpoint
CREATE INDEX "redemption_audit_book_at_idx" ON "redemption_audit" USING btree ("book_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "redemption_audit_assignment_idx" ON "redemption_audit" USING btree ("assignment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "redemptions_assignment_checkout_uq" ON "redemptions" USING btree ("assignment_id","checkout_id");--> statement-breakpoint
CREATE UNIQUE INDEX "redemptions_assignment_order_uq" ON "redemptions" USING btree ("assignment_id","order_id") WHERE "redemptions"."order_id" is not null;--> statement-breakpoint
CREATE INDEX "redemptions_book_status_idx" ON "redemptions" USING btree ("book_id","status","expires_at");