CREATE TABLE "job_cursors" (
	"job" text PRIMARY KEY NOT NULL,
	"cursor" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "redemptions_business_order_idx" ON "redemptions" USING btree ("business_id","order_id") WHERE "redemptions"."order_id" is not null;--> statement-breakpoint
CREATE INDEX "redemptions_reserved_at_idx" ON "redemptions" USING btree ("reserved_at") WHERE "redemptions"."expires_at" is not null;