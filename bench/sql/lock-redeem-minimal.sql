-- (b) The minimal correct transactions for a lock then a redeem of a UNIQUE code without caps,
-- for comparison with the routes (bench:http). What they keep (DESIGN §5): the API key is checked;
-- the assignment is row-locked (FOR UPDATE) and must be the caller's, of an ACTIVE book inside its
-- dates, of a code not DISABLED, with uses left and no live lock of another checkout; the
-- checkout's advisory lock guards the one-coupon-per-seller-per-checkout check; the lock writes the
-- reservation (PR_RESERVED), the assignment's lock, its audit row and its attempt row together; the
-- redeem consumes that reservation (PR_APPLIED, redeem_count guarded) with its audit and attempt
-- rows. What they drop: one round trip per statement (one statement does the work of each
-- transaction after its locks), the last_used_at write, the re-reads. One pgbench transaction is the pair.
-- Variables (pgbench -D): n=0, base, per_client, business_id, book_id, key_prefix, run.
\set n :n + 1
\set idx :base + :client_id * :per_client + :n - 1
select code, user_id, :run::text || '-' || idx as checkout from bench_http_pool where idx = :idx \gset p_
-- lock
BEGIN;
SELECT id FROM api_keys WHERE prefix = :key_prefix AND revoked_at IS NULL \gset k_
SELECT pg_advisory_xact_lock(hashtext('checkout'), hashtext(:business_id::text || ':' || :p_checkout::text));
WITH target AS (
  SELECT a.id, a.code_id, a.book_id, a.user_id, a.redeem_count, b.max_redeems_per_user, b.lock_ttl_seconds
  FROM coupon_assignments a JOIN coupon_codes c ON c.id = a.code_id JOIN coupon_books b ON b.id = a.book_id
  WHERE c.business_id = :business_id AND c.code = :p_code AND a.user_id = :p_user_id
    AND c.status <> 'DISABLED' AND b.status = 'ACTIVE'
    AND (b.valid_from IS NULL OR b.valid_from <= now()) AND (b.expires_at IS NULL OR b.expires_at > now())
    AND a.redeem_count < b.max_redeems_per_user
    AND (a.status = 'ASSIGNED' OR (a.status = 'LOCKED' AND (a.locked_until <= now() OR a.lock_checkout_id = :p_checkout)))
    AND NOT EXISTS (SELECT 1 FROM redemptions r WHERE r.checkout_id = :p_checkout AND r.business_id = :business_id AND r.assignment_id <> a.id
                    AND (r.status = 'PR_APPLIED' OR (r.status = 'PR_RESERVED' AND r.expires_at > now())))
  FOR UPDATE OF a
), locked AS (
  UPDATE coupon_assignments a SET status = 'LOCKED', locked_at = now(), locked_until = now() + make_interval(secs => t.lock_ttl_seconds), lock_checkout_id = :p_checkout
  FROM target t WHERE a.id = t.id RETURNING a.id, a.locked_until
), reserved AS (
  INSERT INTO redemptions (business_id, assignment_id, book_id, user_id, checkout_id, status, discount_amount, currency, reserved_at, expires_at)
  SELECT :business_id, t.id, t.book_id, t.user_id, :p_checkout, 'PR_RESERVED', 0, 'USD', now(), l.locked_until FROM target t JOIN locked l ON l.id = t.id
  RETURNING id
), audited AS (
  INSERT INTO redemption_audit (business_id, book_id, code_id, assignment_id, action, actor, user_id, previous_status, new_status, redeem_count, max_redeems, checkout_id)
  SELECT :business_id, t.book_id, t.code_id, t.id, 'LOCK', 'apiKey:' || :k_id::text, t.user_id, 'ASSIGNED', 'LOCKED', t.redeem_count, t.max_redeems_per_user, :p_checkout FROM target t JOIN reserved ON true
)
INSERT INTO promo_attempts (business_id, normalized_code_hash, code_prefix, book_id, user_id, actor, checkout_id, result, reason)
SELECT :business_id, md5(:p_code), 'HP-', t.book_id, t.user_id, 'apiKey:' || :k_id::text, :p_checkout, 'ACCEPTED', 'LOCKED' FROM target t JOIN reserved ON true;
COMMIT;
-- redeem
BEGIN;
SELECT id FROM api_keys WHERE prefix = :key_prefix AND revoked_at IS NULL \gset k_
WITH target AS (
  SELECT a.id, a.code_id, a.book_id, a.user_id, a.redeem_count, b.max_redeems_per_user
  FROM coupon_assignments a JOIN coupon_codes c ON c.id = a.code_id JOIN coupon_books b ON b.id = a.book_id
  WHERE c.business_id = :business_id AND c.code = :p_code AND a.user_id = :p_user_id
    AND c.status <> 'DISABLED' AND b.status = 'ACTIVE'
    AND (b.valid_from IS NULL OR b.valid_from <= now()) AND (b.expires_at IS NULL OR b.expires_at > now())
    AND a.redeem_count < b.max_redeems_per_user
    AND a.status = 'LOCKED' AND a.lock_checkout_id = :p_checkout
  FOR UPDATE OF a
), consumed AS (
  UPDATE redemptions r SET status = 'PR_APPLIED', order_id = 'o-' || :p_checkout::text, redeem_number = t.redeem_count + 1, max_redeems = t.max_redeems_per_user, applied_at = now()
  FROM target t WHERE r.assignment_id = t.id AND r.checkout_id = :p_checkout AND r.status = 'PR_RESERVED'
  RETURNING r.id
), redeemed AS (
  UPDATE coupon_assignments a SET status = CASE WHEN t.redeem_count + 1 >= t.max_redeems_per_user THEN 'REDEEMED'::assignment_status ELSE 'ASSIGNED'::assignment_status END,
    redeem_count = t.redeem_count + 1, locked_at = NULL, locked_until = NULL, lock_checkout_id = NULL, redeemed_at = now()
  FROM target t JOIN consumed ON true WHERE a.id = t.id AND a.redeem_count = t.redeem_count
  RETURNING a.id
), audited AS (
  INSERT INTO redemption_audit (business_id, book_id, code_id, assignment_id, action, actor, user_id, previous_status, new_status, redeem_count, max_redeems, is_final_redeem, checkout_id, order_id)
  SELECT :business_id, t.book_id, t.code_id, t.id, 'REDEEM', 'apiKey:' || :k_id::text, t.user_id, 'LOCKED', 'REDEEMED', t.redeem_count + 1, t.max_redeems_per_user, true, :p_checkout, 'o-' || :p_checkout::text
  FROM target t JOIN redeemed ON true
)
INSERT INTO promo_attempts (business_id, normalized_code_hash, code_prefix, book_id, user_id, actor, checkout_id, result, reason)
SELECT :business_id, md5(:p_code), 'HP-', t.book_id, t.user_id, 'apiKey:' || :k_id::text, :p_checkout, 'ACCEPTED', 'REDEEMED' FROM target t JOIN redeemed ON true;
COMMIT;
