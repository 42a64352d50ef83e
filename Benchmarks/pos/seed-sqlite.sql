-- As seed-postgres.sql, for SQLite (the count is substituted for :n by pos.sh): the same ids,
-- codes, phones and lots, ids as upper-case text and times as seconds since 1970, as the product
-- writes them.
.bail on
PRAGMA journal_mode = WAL;
BEGIN;
CREATE TEMP TABLE bench_scope AS
  SELECT t.id AS tenant_id, (SELECT b.id FROM branches b WHERE b.tenant_id = t.id ORDER BY b.created_at LIMIT 1) AS branch_id,
         (SELECT k.code FROM customer_types k WHERE k.tenant_id = t.id ORDER BY k.code LIMIT 1) AS customer_type,
         (julianday('now') - 2440587.5) * 86400.0 AS at
  FROM tenants t WHERE t.slug = 'bench';
CREATE TEMP TABLE bench_first (i INTEGER PRIMARY KEY, name TEXT, title TEXT);
INSERT INTO bench_first VALUES (0,'Ahmet',' Bey'),(1,'Ayşe',' Hanım'),(2,'Mehmet',' Bey'),(3,'Fatma',' Hanım'),(4,'Mustafa',' Bey'),
  (5,'Emine',' Hanım'),(6,'Ali',' Bey'),(7,'Hatice',' Hanım'),(8,'Hüseyin',' Bey'),(9,'Zeynep',' Hanım'),(10,'İbrahim',' Bey'),(11,'Elif',' Hanım');
CREATE TEMP TABLE bench_last (i INTEGER PRIMARY KEY, name TEXT);
INSERT INTO bench_last VALUES (0,'Yılmaz'),(1,'Kaya'),(2,'Demir'),(3,'Şahin'),(4,'Çelik'),(5,'Yıldız'),(6,'Yıldırım'),(7,'Öztürk'),
  (8,'Aydın'),(9,'Özdemir'),(10,'Arslan'),(11,'Doğan'),(12,'Kılıç');
CREATE TEMP TABLE bench_n (g INTEGER PRIMARY KEY);
WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < :n) INSERT INTO bench_n SELECT g FROM s;
INSERT INTO customers (tenant_id, id, seq, code, name, email, customer_type, preferred_channel, branch_id, tags, search_text,
                       version, created_at, updated_at, salutation)
SELECT s.tenant_id, printf('00000000-0000-4000-8000-%012X', g), g, printf('C%05d', g), f.name || ' ' || l.name, NULL, s.customer_type,
       'sms', s.branch_id, '[]', lower(f.name || ' ' || l.name), 1, s.at, s.at, f.name || f.title
FROM bench_scope s, bench_n JOIN bench_first f ON f.i = g % 12 JOIN bench_last l ON l.i = (g / 12) % 13;
INSERT INTO customer_phones (tenant_id, customer_id, position, number, label)
SELECT s.tenant_id, printf('00000000-0000-4000-8000-%012X', g), 0, printf('+90532%07d', g), 'mobile' FROM bench_scope s, bench_n;
INSERT INTO loyalty_entries (tenant_id, id, customer_id, kind, points, expires_at, source_key, occurred_at, recorded_by, recorded_at)
SELECT s.tenant_id, printf('00000000-0000-4000-9000-%012X', g), printf('00000000-0000-4000-8000-%012X', g), 'load', 100 + g % 400,
       s.at + 366 * 86400.0, 'bench:' || g, s.at, 'bench', s.at
FROM bench_scope s, bench_n;
INSERT INTO loyalty_entries (tenant_id, id, customer_id, kind, points, lot_id, source_key, occurred_at, recorded_by, recorded_at)
SELECT s.tenant_id, printf('00000000-0000-4000-A000-%012X', g), printf('00000000-0000-4000-8000-%012X', g), 'redeem', -10,
       printf('00000000-0000-4000-9000-%012X', g), 'bench-spent:' || g, s.at, 'bench', s.at
FROM bench_scope s, bench_n WHERE g % 10 = 0;
INSERT INTO counters (tenant_id, name, value) SELECT tenant_id, 'customer', :n FROM bench_scope WHERE true
ON CONFLICT (tenant_id, name) DO UPDATE SET value = excluded.value;
COMMIT;
ANALYZE;
