-- Every dashboard query holds some dimensions of the cube at a value (or "any") and reads the rows of
-- one other dimension for a period. The primary key leads with the act type and the one index with the
-- perpetrator, so the breakdowns by perpetrator and by place type scanned every row sharing a prefix: a
-- read that grew with the number of incidents. Each query now has an index whose leading columns are
-- the ones it holds, and every index carries the figure itself (INCLUDE), so that PostgreSQL answers
-- from the index alone once (auto)vacuum has marked the pages visible, without visiting the table.
drop index public_rollup_by_perpetrator;
create index public_rollup_by_perpetrator on public_rollup (perpetrator_type, place_type, state_code, month, act_type) include (incidents);
create index public_rollup_by_place on public_rollup (act_type, perpetrator_type, state_code, month, place_type) include (incidents);
create index public_rollup_for_perpetrators on public_rollup (act_type, place_type, state_code, month, perpetrator_type) include (incidents);
-- The map, the monthly series and the default period: the primary key's order, with the figure.
create index public_rollup_by_state on public_rollup (act_type, perpetrator_type, place_type, state_code, month) include (incidents);
