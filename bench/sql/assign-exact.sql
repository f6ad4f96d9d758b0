-- (a) The statements POST /api/assignments/random runs for an API key on a UNIQUE book, as the
-- production build sent them (captured with `npm run bench:http -- --log-statements`, i.e.
-- log_statement = 'all' on the bench database, 2026-12-02), one round trip each, in order: the
-- key's lookup and its last_used_at write (lib/auth/api-keys.ts), then the transaction of
-- lib/coupons/assign-random.ts. Parameters become pgbench variables; the values the app carries
-- from one statement to the next (the key's id, the picked code) are read back with \gset; the
-- pick returns an extra `1 as found` so that, like the app, the wrap-around query (random_key <
-- start) runs only when the first finds nothing.
-- Variables (pgbench -D): book_id, business_id, key_prefix, run.
\set rk random(0, 2147483646)
\set u random(1, 1000000000)
select "id", "business_id", "hash" from "api_keys" where ("api_keys"."prefix" = :key_prefix and "api_keys"."revoked_at" is null) \gset k_
update "api_keys" set "last_used_at" = now() where ("api_keys"."id" = :k_id and ("api_keys"."last_used_at" is null or "api_keys"."last_used_at" < now() - interval '1 minute'));
begin;
select "id", "business_id", "name", "description", "status", "code_kind", "discount_type", "discount_value", "currency", "min_order_amount", "max_discount_amount", "max_codes_per_user", "max_redeems_per_user", "max_total_redemptions", "budget_amount", "total_codes_expected", "generated_count", "code_prefix", "valid_from", "expires_at", "lock_ttl_seconds", "paused_by", "self_service_claim", "resumed_at", "created_at", "updated_at" from "coupon_books" where ("coupon_books"."id" = :book_id and "coupon_books"."business_id" = :business_id);
select now() as now;
select pg_advisory_xact_lock(hashtext(:book_id), hashtext(:run::text || '-' || :u));
select count(*) from "coupon_assignments" where ("coupon_assignments"."book_id" = :book_id and "coupon_assignments"."user_id" = :run::text || '-' || :u);
\set found 0
select "id" as code_id, "code", 1 as found from "coupon_codes" where ("coupon_codes"."book_id" = :book_id and "coupon_codes"."status" = 'AVAILABLE' and "coupon_codes"."random_key" >= :rk) order by "coupon_codes"."random_key" limit 1 for update skip locked \aset
\if :found = 0
select "id" as code_id, "code", 1 as found from "coupon_codes" where ("coupon_codes"."book_id" = :book_id and "coupon_codes"."status" = 'AVAILABLE' and "coupon_codes"."random_key" < :rk) order by "coupon_codes"."random_key" limit 1 for update skip locked \gset
\endif
update "coupon_codes" set "status" = 'ASSIGNED' where "coupon_codes"."id" = :code_id;
insert into "coupon_assignments" ("id", "business_id", "code_id", "book_id", "user_id", "shared", "status", "redeem_count", "locked_at", "locked_until", "lock_checkout_id", "assigned_at", "redeemed_at") values (default, :business_id, :code_id, :book_id, :run::text || '-' || :u, false, default, default, default, default, default, default, default) on conflict do nothing returning "id" as assignment_id, "business_id", "code_id", "book_id", "user_id", "shared", "status", "redeem_count", "locked_at", "locked_until", "lock_checkout_id", "assigned_at", "redeemed_at" \gset a_
insert into "redemption_audit" ("id", "business_id", "book_id", "code_id", "assignment_id", "action", "actor", "user_id", "previous_status", "new_status", "redeem_count", "max_redeems", "is_final_redeem", "checkout_id", "order_id", "ip", "user_agent", "details", "at") values (default, :business_id, :book_id, :code_id, :a_assignment_id, 'ASSIGN', 'apiKey:' || :k_id::text, :run::text || '-' || :u, 'AVAILABLE', 'ASSIGNED', 0, 1, default, default, default, NULL, NULL, default, default);
commit;
