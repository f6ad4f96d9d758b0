-- (b) The minimal correct transaction for an internal redeem (POST /api/internal/promo/redeem) of a
-- GENERIC campaign code by a shopper using it for the first time, one checkout per request, for
-- comparison with the route (bench:http). What it keeps (DESIGN §5, §6): the checkout's request
-- lock (a double click waits, then replays) and the seller's checkout lock, taken before the
-- stacking check reads (one coupon per seller per checkout); the code looked up in the cart's
-- business, of an ACTIVE GENERIC book inside its dates, not DISABLED; the shopper's assignment
-- created once (unique per code and user) with its ASSIGN audit row; the reservation
-- (PR_RESERVED, the quoted discount and price tower, expiring with the lock), the assignment's
-- lock, its LOCK audit row and the promo_attempts row, all in the statement that creates the
-- assignment, which nobody else can see yet, so it needs no row lock. What it drops: one round
-- trip per statement (4 in all: begin, the locks, one statement of data-modifying CTEs, commit),
-- the re-read of the assignment under a row lock, the reads of the checkout's previous use (a
-- fresh checkout has none) and the attempt's prefix attribution query.
-- Not the transaction's: the first statement, which names this request's checkout and shopper
-- (as in internal-redeem-exact.sql). The HMAC of the code is an md5, and the quote the figures of
-- a 10 % campaign on one 50.00 item, as in internal-redeem-exact.sql.
-- Variables (pgbench -D): n=0, business_id, book_id (the GENERIC campaign), code (its code,
-- normalized), run (unique per run).
\set n :n + 1
select :run::text || '-' || :client_id::text || '-' || :n::text as checkout, 'u-' || :run::text || '-' || :client_id::text || '-' || :n::text as "user" \gset r_
BEGIN;
SELECT pg_advisory_xact_lock(hashtext('checkout-request'), hashtext(:r_checkout)), pg_advisory_xact_lock(hashtext('checkout'), hashtext(:business_id::text || ':' || :r_checkout::text));
WITH target AS (
  SELECT c.id AS code_id, b.id AS book_id, b.max_redeems_per_user, b.lock_ttl_seconds
  FROM coupon_codes c JOIN coupon_books b ON b.id = c.book_id
  WHERE c.business_id = :business_id AND c.code = :code AND c.status <> 'DISABLED' AND b.code_kind = 'GENERIC' AND b.status = 'ACTIVE'
    AND (b.valid_from IS NULL OR b.valid_from <= now()) AND (b.expires_at IS NULL OR b.expires_at > now())
    AND NOT EXISTS (SELECT 1 FROM redemptions r WHERE r.checkout_id = :r_checkout AND r.business_id = :business_id
                    AND (r.status = 'PR_APPLIED' OR (r.status = 'PR_RESERVED' AND r.expires_at > now())))
), created AS (
  INSERT INTO coupon_assignments (business_id, code_id, book_id, user_id, shared, status, locked_at, locked_until, lock_checkout_id)
  SELECT :business_id, t.code_id, t.book_id, :r_user, true, 'LOCKED', now(), now() + make_interval(secs => t.lock_ttl_seconds), :r_checkout FROM target t
  ON CONFLICT DO NOTHING
  RETURNING id, code_id, book_id, locked_until
), assign_audit AS (
  INSERT INTO redemption_audit (business_id, book_id, code_id, assignment_id, action, actor, user_id, new_status, redeem_count, max_redeems, details)
  SELECT :business_id, a.book_id, a.code_id, a.id, 'ASSIGN', 'internal', :r_user, 'ASSIGNED', 0, t.max_redeems_per_user, '{"firstUse": true}' FROM created a JOIN target t ON true
), reserved AS (
  INSERT INTO redemptions (business_id, assignment_id, book_id, user_id, checkout_id, status, discount_amount, order_subtotal, order_total, currency, reserved_at, expires_at, price_tower)
  SELECT :business_id, a.id, a.book_id, :r_user, :r_checkout, 'PR_RESERVED', 500, 5000, 4500, 'USD', now(), a.locked_until,
    replace(replace('{"currency": "USD", "items": [{"sku": "s1", "businessId": "074f2ac4-10c1-4671-afce-53cabdb1ebf2", "quantity": 1, "unitPrice": 5000, "listAmount": 5000, "itemDiscount": 0, "netAmount": 5000, "couponEligible": true}], "itemsAmount": 5000, "itemDiscounts": 0, "subtotal": 5000, "couponDiscount": 500, "shipping": 0, "shippingDiscount": 0, "taxRate": 0, "taxableAmount": 4500, "tax": 0, "total": 4500, "coupon": {"couponBookId": "769179af-143d-49be-ae2c-562c1c361432", "businessId": "074f2ac4-10c1-4671-afce-53cabdb1ebf2", "discountType": "PERCENT", "discountValue": 10, "eligibleSubtotal": 5000, "discountAmount": 500, "cappedBy": null}}', '769179af-143d-49be-ae2c-562c1c361432', :book_id::text), '074f2ac4-10c1-4671-afce-53cabdb1ebf2', :business_id::text)::jsonb
  FROM created a
  RETURNING id
), lock_audit AS (
  INSERT INTO redemption_audit (business_id, book_id, code_id, assignment_id, action, actor, user_id, previous_status, new_status, redeem_count, max_redeems, checkout_id, details)
  SELECT :business_id, a.book_id, a.code_id, a.id, 'LOCK', 'internal', :r_user, 'ASSIGNED', 'LOCKED', 0, t.max_redeems_per_user, :r_checkout,
    jsonb_build_object('lockedUntil', a.locked_until, 'discountAmount', 500)
  FROM created a JOIN target t ON true JOIN reserved ON true
)
INSERT INTO promo_attempts (business_id, normalized_code_hash, code_prefix, book_id, user_id, actor, checkout_id, result, reason)
SELECT :business_id, md5(:code), left(:code, least(4, length(:code) / 2)), a.book_id, :r_user, 'internal', :r_checkout, 'ACCEPTED', 'RESERVED'
FROM created a JOIN reserved ON true;
COMMIT;
