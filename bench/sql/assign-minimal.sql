-- (b) The minimal correct transaction for a random assignment (POST /api/assignments/random) of a
-- UNIQUE book, for comparison with the route (bench:http, scripts/bench/http/). What it keeps, since
-- each is a guarantee of DESIGN §5: the API key is checked (one indexed read), the book must be
-- ACTIVE and inside its dates, max_codes_per_user is checked under the (book, user) advisory lock,
-- the code is picked at random with FOR UPDATE SKIP LOCKED on the partial (book_id, random_key)
-- index, and the code update, the assignment and its audit row commit together. What it drops: the
-- separate statements (one statement after the lock), the `now()` and book reads as their own round
-- trips. The wrap-around pick (random_key < start) is left out: on a book with free codes it is
-- taken by ~1 request in N.
-- Variables (pgbench -D): book_id, business_id, key_prefix, run.
\set rk random(0, 2147483646)
\set u random(1, 1000000000)
BEGIN;
SELECT id, business_id FROM api_keys WHERE prefix = :key_prefix AND revoked_at IS NULL \gset k_
SELECT pg_advisory_xact_lock(hashtext(:book_id), hashtext(:run::text || '-' || :u));
WITH book AS (
  SELECT id, business_id, max_codes_per_user, max_redeems_per_user FROM coupon_books
  WHERE id = :book_id AND status = 'ACTIVE'
    AND (valid_from IS NULL OR valid_from <= now()) AND (expires_at IS NULL OR expires_at > now())
    AND (SELECT count(*) FROM coupon_assignments WHERE book_id = :book_id AND user_id = :run::text || '-' || :u) < max_codes_per_user
), picked AS (
  SELECT c.id, c.code FROM coupon_codes c
  WHERE c.book_id = :book_id AND c.status = 'AVAILABLE' AND c.random_key >= :rk AND EXISTS (SELECT 1 FROM book)
  ORDER BY c.random_key LIMIT 1 FOR UPDATE SKIP LOCKED
), updated AS (
  UPDATE coupon_codes c SET status = 'ASSIGNED' FROM picked WHERE c.id = picked.id RETURNING c.id, c.code
), assigned AS (
  INSERT INTO coupon_assignments (business_id, code_id, book_id, user_id, shared)
  SELECT book.business_id, updated.id, book.id, :run::text || '-' || :u, false FROM updated, book
  RETURNING id, code_id, user_id
)
INSERT INTO redemption_audit (business_id, book_id, code_id, assignment_id, user_id, action, previous_status, new_status, redeem_count, max_redeems, actor, user_agent)
SELECT book.business_id, book.id, assigned.code_id, assigned.id, assigned.user_id, 'ASSIGN', 'AVAILABLE', 'ASSIGNED', 0, book.max_redeems_per_user, 'apiKey:' || :k_id::text, 'pgbench'
FROM assigned, book;
COMMIT;
