CREATE TYPE "public"."generation_run_status" AS ENUM('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');--> statement-breakpoint
CREATE TABLE "code_generation_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"book_id" uuid NOT NULL,
	"request_key" text NOT NULL,
	"pattern" text NOT NULL,
	"quantity" integer NOT NULL,
	"generated" integer DEFAULT 0 NOT NULL,
	"status" "generation_run_status" DEFAULT 'QUEUED' NOT NULL,
	"error" text,
	"requested_by" jsonb NOT NULL,
	"request_ip" text,
	"request_user_agent" text,
	"lease_until" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "code_generation_runs_progress" CHECK ("code_generation_runs"."quantity" > 0 and "code_generation_runs"."generated" between 0 and "code_generation_runs"."quantity")
);
--> statement-breakpoint
ALTER TABLE "code_generation_runs" ADD CONSTRAINT "code_generation_runs_book_id_coupon_books_id_fk" FOREIGN KEY ("book_id") REFERENCES "public"."coupon_books"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "code_generation_runs_book_request_uq" ON "code_generation_runs" USING btree ("book_id","request_key");--> statement-breakpoint
CREATE INDEX "code_generation_runs_book_created_idx" ON "code_generation_runs" USING btree ("book_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "code_generation_runs_unfinished_idx" ON "code_generation_runs" USING btree ("lease_until") WHERE "code_generation_runs"."status" in ('QUEUED', 'RUNNING');