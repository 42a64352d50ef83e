-- CUSTOMERS (psql -v n=…) customers for the tenant `bench`, written straight into the tables the
-- product reads (as psql's superuser, past row-level security). Customer n has the id
-- 00000000-0000-4000-8000-<n in 12 hex digits>, the code C<n>, the phone +90532<n in 7 digits>
-- and a lot of 100 + n % 400 points; every tenth has spent 10 of them. The look-up benchmark asks
-- for random phones, the sale benchmark sells to random ids.
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE bench_scope AS
  SELECT t.id AS tenant_id, (SELECT b.id FROM branches b WHERE b.tenant_id = t.id ORDER BY b.created_at LIMIT 1) AS branch_id,
         (SELECT k.code FROM customer_types k WHERE k.tenant_id = t.id ORDER BY k.code LIMIT 1) AS customer_type, now() AS at
  FROM tenants t WHERE t.slug = 'bench';
CREATE TEMP TABLE bench_names AS
  SELECT ARRAY['Ahmet','Ayşe','Mehmet','Fatma','Mustafa','Emine','Ali','Hatice','Hüseyin','Zeynep','İbrahim','Elif'] AS first,
         ARRAY[true,false,true,false,true,false,true,false,true,false,true,false] AS male,
         ARRAY['Yılmaz','Kaya','Demir','Şahin','Çelik','Yıldız','Yıldırım','Öztürk','Aydın','Özdemir','Arslan','Doğan','Kılıç'] AS last;
INSERT INTO customers (tenant_id, id, seq, code, name, email, customer_type, preferred_channel, branch_id, tags, search_text,
                       version, created_at, updated_at, salutation)
SELECT s.tenant_id, ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, g, 'C' || CASE WHEN g < 100000 THEN lpad(g::text, 5, '0') ELSE g::text END,
       f.first[1 + g % 12] || ' ' || f.last[1 + (g / 12) % 13], NULL, s.customer_type, 'sms', s.branch_id, '[]',
       lower(f.first[1 + g % 12] || ' ' || f.last[1 + (g / 12) % 13]), 1, s.at, s.at,
       f.first[1 + g % 12] || CASE WHEN f.male[1 + g % 12] THEN ' Bey' ELSE ' Hanım' END
FROM bench_scope s, bench_names f, generate_series(1, :n) g;
INSERT INTO customer_phones (tenant_id, customer_id, position, number, label)
SELECT s.tenant_id, ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 0, '+90532' || lpad(g::text, 7, '0'), 'mobile'
FROM bench_scope s, generate_series(1, :n) g;
INSERT INTO loyalty_entries (tenant_id, id, customer_id, kind, points, expires_at, source_key, occurred_at, recorded_by, recorded_at)
SELECT s.tenant_id, ('00000000-0000-4000-9000-' || lpad(to_hex(g), 12, '0'))::uuid, ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
       'load', 100 + g % 400, s.at + interval '1 year', 'bench:' || g, s.at, 'bench', s.at
FROM bench_scope s, generate_series(1, :n) g;
INSERT INTO loyalty_entries (tenant_id, id, customer_id, kind, points, lot_id, source_key, occurred_at, recorded_by, recorded_at)
SELECT s.tenant_id, ('00000000-0000-4000-a000-' || lpad(to_hex(g), 12, '0'))::uuid, ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
       'redeem', -10, ('00000000-0000-4000-9000-' || lpad(to_hex(g), 12, '0'))::uuid, 'bench-spent:' || g, s.at, 'bench', s.at
FROM bench_scope s, generate_series(10, :n, 10) g;
INSERT INTO counters (tenant_id, name, value) SELECT tenant_id, 'customer', :n FROM bench_scope
ON CONFLICT (tenant_id, name) DO UPDATE SET value = EXCLUDED.value;
COMMIT;
ANALYZE;
