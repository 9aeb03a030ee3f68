-- The dashboard's breakdowns by perpetrator and by place type hold the other dimensions at a value (or
-- "any") and read every perpetrator, or every place type, for a period. The primary key leads with the
-- act type and the one index with the perpetrator, so these two breakdowns scanned every row of the
-- cube sharing a prefix: a read that grew with the number of incidents. With these, each breakdown reads
-- only its own rows (a few thousand whatever the size).
create index public_rollup_by_place on public_rollup (act_type, perpetrator_type, state_code, month, place_type);
create index public_rollup_for_perpetrators on public_rollup (act_type, place_type, state_code, month, perpetrator_type);
