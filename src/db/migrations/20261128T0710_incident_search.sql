-- Incident search (src/db/repositories/incident-search.ts) lists incidents newest or oldest first by
-- this key. Without an index in that order, a list with few filters sorts every visible incident to show
-- 25 of them (a sequential scan, ~200 ms at 100,000 incidents on PostgreSQL 15, bench/search.bench.ts);
-- with it, the list walks the index and stops after one page, and a cursor starts where the page ended.
-- The expression is the one the search orders by, character for character.
create index incidents_date_order on incidents ((coalesce(start_date, '-infinity'::date)), id);
