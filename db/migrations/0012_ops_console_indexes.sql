CREATE INDEX "redemption_audit_at_idx" ON "redemption_audit" USING btree ("at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "redemption_audit_actor_at_idx" ON "redemption_audit" USING btree ("actor","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "redemptions_applied_at_idx" ON "redemptions" USING btree ("applied_at") WHERE "redemptions"."applied_at" is not null;