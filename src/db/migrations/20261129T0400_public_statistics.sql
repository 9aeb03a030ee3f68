-- Public statistics: rollups of the incidents that count publicly, kept up to date by every incident
-- command in the same transaction (src/commands/public-rollups.ts), so the dashboard never scans incidents.
--
-- An incident counts publicly when it is verified, its organization shares it with its networks, it is
-- not archived, and it has a state and a start date. Publication consent (`may_publish`) is NOT required
-- for a count: the reporter's consent text promises that an unticked report "only counts in aggregate
-- figures". Consent governs what leaves as a row (open data), never whether it is counted.

-- A cube by month over state, act type, perpetrator type and place type, where '*' in a dimension means
-- "any": the row ('*', '*', '*', '*') counts each incident once; ('*', 'X', '*', '*') counts the incidents
-- with at least one act of type X, nationally. One incident adds 2 × (acts + 1) × (perpetrators + 1) × 2
-- rows, so that every dashboard query reads a few thousand rows at most, whatever the number of incidents.
create table public_rollup (
  month             date not null check (extract(day from month) = 1),
  state_code        text not null check (state_code = '*' or state_code ~ '^\d{2}$'),
  act_type          text not null,
  perpetrator_type  text not null,
  place_type        text not null,
  incidents         integer not null,
  primary key (act_type, perpetrator_type, place_type, state_code, month)
);
-- The breakdown by act type reads every act for one perpetrator, place and state choice.
create index public_rollup_by_perpetrator on public_rollup (perpetrator_type, place_type, state_code, month, act_type);

-- Incidents by month and municipality ('' when the municipality is not known), for a state's page.
create table public_rollup_municipality (
  month              date not null check (extract(day from month) = 1),
  state_code         text not null references ref_states (code),
  municipality_code  text not null,
  incidents          integer not null,
  primary key (state_code, month, municipality_code)
);

-- Recomputes both rollups from the incidents (after this migration, for the benchmark's bulk load, and
-- whenever one wants to check that the incremental upkeep has not drifted).
create function rebuild_public_rollups() returns void language sql as $$
  delete from public_rollup;
  delete from public_rollup_municipality;
  insert into public_rollup (month, state_code, act_type, perpetrator_type, place_type, incidents)
  select date_trunc('month', i.start_date)::date, s.code, a.code, p.code, pl.code, count(*)
  from incidents i
  cross join lateral unnest(array[i.state_code, '*']) s(code)
  cross join lateral (select distinct x from unnest(i.act_types || '{*}'::text[]) x) a(code)
  cross join lateral (select distinct x from unnest(i.perpetrator_types || '{*}'::text[]) x) p(code)
  cross join lateral unnest(array[coalesce(i.place_type, 'UNSPECIFIED'), '*']) pl(code)
  where i.status = 'verified' and i.shared_with_networks and i.archived_at is null
    and i.state_code is not null and i.start_date is not null
  group by 1, 2, 3, 4, 5;
  insert into public_rollup_municipality (month, state_code, municipality_code, incidents)
  select date_trunc('month', i.start_date)::date, i.state_code, coalesce(i.municipality_code, ''), count(*)
  from incidents i
  where i.status = 'verified' and i.shared_with_networks and i.archived_at is null
    and i.state_code is not null and i.start_date is not null
  group by 1, 2, 3;
$$;

select rebuild_public_rollups();
