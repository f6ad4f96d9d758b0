CREATE TABLE "redemption_audit_hourly" (
	"business_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"action" text NOT NULL,
	"by_guard" boolean NOT NULL,
	"entries" integer NOT NULL,
	CONSTRAINT "redemption_audit_hourly_pk" PRIMARY KEY("business_id","hour","action","by_guard")
);
--> statement-breakpoint
CREATE TABLE "promo_attempt_hourly" (
	"business_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"result" "promo_result" NOT NULL,
	"reason" text NOT NULL,
	"attempts" integer NOT NULL,
	CONSTRAINT "promo_attempt_hourly_pk" PRIMARY KEY("business_id","hour","result","reason")
);
--> statement-breakpoint
CREATE INDEX "redemption_audit_hourly_hour_idx" ON "redemption_audit_hourly" USING btree ("hour");--> statement-breakpoint
CREATE INDEX "promo_attempt_hourly_hour_idx" ON "promo_attempt_hourly" USING btree ("hour");--> statement-breakpoint
CREATE INDEX "promo_attempts_failed_idx" ON "promo_attempts" USING btree ("attempted_at","business_id","normalized_code_hash","user_id","ip_hash") WHERE "promo_attempts"."result" <> 'ACCEPTED';