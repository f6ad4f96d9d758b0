CREATE TYPE "public"."alert_channel" AS ENUM('generic', 'slack', 'pagerduty');--> statement-breakpoint
CREATE TYPE "public"."alert_delivery_status" AS ENUM('PENDING', 'DELIVERED', 'FAILED');--> statement-breakpoint
CREATE TABLE "ops_alert_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"alert_id" uuid NOT NULL,
	"channel" "alert_channel" NOT NULL,
	"status" "alert_delivery_status" DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"last_status_code" integer,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ops_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_type" text NOT NULL,
	"severity" text NOT NULL,
	"escalation" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"summary" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"business_id" uuid,
	"book_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "coupon_books" ADD COLUMN "resumed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "purchases" ADD COLUMN "refund_reason" text;--> statement-breakpoint
ALTER TABLE "ops_alert_deliveries" ADD CONSTRAINT "ops_alert_deliveries_alert_id_ops_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."ops_alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ops_alert_deliveries_alert_channel_uq" ON "ops_alert_deliveries" USING btree ("alert_id","channel");--> statement-breakpoint
CREATE INDEX "ops_alert_deliveries_due_idx" ON "ops_alert_deliveries" USING btree ("next_attempt_at") WHERE "ops_alert_deliveries"."status" = 'PENDING';--> statement-breakpoint
CREATE UNIQUE INDEX "ops_alerts_dedupe_uq" ON "ops_alerts" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "ops_alerts_created_idx" ON "ops_alerts" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "redemptions_reserved_expiry_idx" ON "redemptions" USING btree ("expires_at") WHERE "redemptions"."status" = 'PR_RESERVED';