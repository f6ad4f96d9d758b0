-- (a) The statements POST /api/assignments/random sends for an API key on a UNIQUE book, as the
-- route sent them (captured 2026-12-02 with log_statement = 'all' on a database of our own, through
-- the route handler; `npm run bench:http -- --log-statements` shows the same), in order: 4 round
-- trips. The key is verified from the process's cache (lib/auth/api-keys.ts: a SELECT once per key
-- per process per 30 s, a last_used_at write at most once a minute after the response), so no
-- request-path statement is left for it. Then the transaction of lib/coupons/assign-random.ts:
-- BEGIN; the book with now() and the (book, user) advisory lock; one statement of data-modifying
-- CTEs (lib/coupons/create-assignment.ts, claimCode) that counts the user's codes against
-- max_codes_per_user (after the lock, so its snapshot sees earlier claims), picks a code
-- (FOR UPDATE SKIP LOCKED on the partial index; the wrap-around CTE runs only when nothing lies
-- above the random start), marks it ASSIGNED, inserts the assignment and its audit row; COMMIT.
-- Parameters become pgbench variables or, where the app passes a value of the book or of the
-- request, that value as a literal: max_codes_per_user and max_redeems_per_user (1 in the seeded
-- books), LIMIT 1, the statuses, a null ip and user agent. The audit's actor carries the key's
-- prefix where the app writes its id (pgbench is not given the id). The app sends the book and claim
-- statements as named prepared statements (parsed once per connection); pgbench.ts runs every
-- script with --protocol=extended (parsed on every execution), which makes (a) a little slower.
-- Variables (pgbench -D): book_id, business_id, key_prefix, run.
\set rk random(0, 2147483646)
\set u random(1, 1000000000)
begin;
select "id", "business_id", "name", "description", "status", "code_kind", "discount_type", "discount_value", "currency", "min_order_amount", "max_discount_amount", "max_codes_per_user", "max_redeems_per_user", "max_total_redemptions", "budget_amount", "total_codes_expected", "generated_count", "code_prefix", "valid_from", "expires_at", "lock_ttl_seconds", "paused_by", "self_service_claim", "resumed_at", "created_at", "updated_at", now(), case when "code_kind" = 'UNIQUE' then pg_advisory_xact_lock(hashtext("coupon_books"."id"::text), hashtext(:run::text || '-' || :u)) end from "coupon_books" where ("coupon_books"."id" = :book_id and "coupon_books"."business_id" = :business_id);
with "held" as (select count(*) as "n" from "coupon_assignments" where ("coupon_assignments"."book_id" = :book_id and "coupon_assignments"."user_id" = :run::text || '-' || :u)), "above" as (select "id", "code" from "coupon_codes" where ("coupon_codes"."book_id" = :book_id and "coupon_codes"."status" = 'AVAILABLE' and "coupon_codes"."random_key" >= :rk and (select "n" from "held") < 1) order by "coupon_codes"."random_key" limit 1 for update skip locked), "wrapped" as (select "id", "code" from "coupon_codes" where ("coupon_codes"."book_id" = :book_id and "coupon_codes"."status" = 'AVAILABLE' and "coupon_codes"."random_key" < :rk and (select "n" from "held") < 1) order by "coupon_codes"."random_key" limit 1 for update skip locked), "picked" as ((select "id", "code" from "above") union all (select "id", "code" from "wrapped") limit 1), "updated" as (update "coupon_codes" set "status" = 'ASSIGNED' from "picked" where "coupon_codes"."id" = "picked"."id" returning "coupon_codes"."id"), "assigned" as (insert into "coupon_assignments" ("business_id", "code_id", "book_id", "user_id", "shared") select :business_id::uuid, "updated"."id", :book_id::uuid, (:run::text || '-' || :u)::text, false::boolean from "updated" on conflict do nothing returning *), "audited" as (insert into "redemption_audit" ("business_id", "book_id", "code_id", "assignment_id", "user_id", "action", "previous_status", "new_status", "redeem_count", "max_redeems", "actor", "ip", "user_agent") select :business_id::uuid, :book_id::uuid, "assigned"."code_id", "assigned"."id", (:run::text || '-' || :u)::text, 'ASSIGN'::text, 'AVAILABLE'::text, 'ASSIGNED'::text, 0::integer, 1::integer, ('apiKey:' || :key_prefix)::text, NULL::text, NULL::text from "assigned") select "n", "picked"."id", "picked"."code", "assigned"."id", "assigned"."business_id", "assigned"."code_id", "assigned"."book_id", "assigned"."user_id", "assigned"."shared", "assigned"."status", "assigned"."redeem_count", "assigned"."locked_at", "assigned"."locked_until", "assigned"."lock_checkout_id", "assigned"."assigned_at", "assigned"."redeemed_at" from "held" left join "picked" on true left join "assigned" on true;
commit;
