import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import { INCIDENT_STATUSES } from '../../api/incidents';
import { CheckboxGroup, Checkbox, Field, FormMessage, SelectField, useFormState } from '../../components/form';
import { useDocumentTitle } from '../../components/use-document-title';
import { RequireSession } from '../../session/RequireSession';
import { triageOrganizations } from '../triage/shared';
import { IncidentResults, type IncidentSelection } from './IncidentResults';
import { useMunicipalities, useStates, useVocabularies, type VocabularyName } from './labels';
import { apiQueryFromFilters, filtersFromSearch, isFiltered, searchFromFilters, SORTS, type SearchFilters } from './search-filters';
import './incidents.css';

/** Searching the record: words and filters kept in the address, results with "load more". */
export default function SearchPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('incidents.search.title'));
  return (
    <RequireSession>
      {(session) => (
        <Search
          mayDocument={triageOrganizations(session).length > 0}
          // Documenters and reviewers of a network draft its alerts.
          draftingNetworks={session.memberships
            .filter((m) => m.organization.kind === 'network' && m.roles.some((r) => r === 'documenter' || r === 'reviewer'))
            .map((m) => ({ id: m.organization.id, name: m.organization.name }))}
        />
      )}
    </RequireSession>
  );
}

function Search({ mayDocument, draftingNetworks }: { mayDocument: boolean; draftingNetworks: Array<{ id: string; name: string }> }) {
  const { t } = useTranslation();
  const search = useSearch();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const query = useMemo(() => apiQueryFromFilters(filters), [filters]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const selection: IncidentSelection | undefined =
    draftingNetworks.length === 0
      ? undefined
      : {
          selected,
          toggle: (id, checked) =>
            setSelected((current) => {
              const next = new Set(current);
              if (checked) next.add(id);
              else next.delete(id);
              return next;
            }),
          columnLabel: t('selection.column'),
          boxLabel: (incident) => t('selection.select', { title: incident.title }),
        };
  return (
    <>
      <h1>{t('incidents.search.heading')}</h1>
      <ul className="search-links">
        <li>
          <Link href={WEB_PAGES.reviewQueue}>{t('incidents.links.review')}</Link>
        </li>
        {mayDocument && (
          <li>
            <Link href={WEB_PAGES.incidentImportExport}>{t('importExport.link')}</Link>
          </li>
        )}
      </ul>
      <FilterForm key={search} filters={filters} />
      {selection && <DraftFromSelection networks={draftingNetworks} selected={selected} onClear={() => setSelected(new Set())} />}
      <IncidentResults query={query} caption={t('incidents.search.caption')} empty={t('incidents.search.none')} selection={selection} />
    </>
  );
}

/** The selected incidents and the way to a draft alert of them: /redaccion/nueva?incidentes=a,b&red=n. */
function DraftFromSelection({ networks, selected, onClear }: { networks: Array<{ id: string; name: string }>; selected: ReadonlySet<string>; onClear: () => void }) {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const [network, setNetwork] = useState(networks[0]!.id);
  const draft = () => navigate(`${WEB_PAGES.alertNew}?${new URLSearchParams({ incidentes: [...selected].join(','), red: network }).toString().replace(/%2C/g, ',')}`);
  return (
    <section className="search-selection" aria-labelledby="search-selection-heading">
      <h2 id="search-selection-heading" className="visually-hidden">
        {t('selection.draft')}
      </h2>
      <p role="status">{selected.size === 0 ? t('selection.none') : t('selection.count', { count: selected.size })}</p>
      <p className="field__hint">{t('selection.hint')}</p>
      {networks.length > 1 && (
        <SelectField id="selection-network" label={t('selection.network')} value={network} options={networks.map((n) => ({ value: n.id, label: n.name }))} onChange={(e) => setNetwork(e.target.value)} />
      )}
      <div className="button-row">
        <button type="button" className="button button--primary" disabled={selected.size === 0} onClick={draft}>
          {t('selection.draft')}
        </button>
        {selected.size > 0 && (
          <button type="button" className="button" onClick={onClear}>
            {t('selection.clear')}
          </button>
        )}
      </div>
    </section>
  );
}

const FIELDS = { text: 'search-text', to: 'search-to' };
const VICTIM_KINDS = ['ORGANIZATION', 'PERSON', 'GROUP'] as const;

function FilterForm({ filters }: { filters: SearchFilters }) {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const [draft, setDraft] = useState(filters);
  const form = useFormState(FIELDS);
  const states = useStates();
  const municipalities = useMunicipalities(draft.state);
  const { labels } = useVocabularies(['act_types', 'perpetrator_types', 'victim_characteristics']);
  const terms = (name: VocabularyName) => [...(labels[name] ?? new Map<string, string>())].map(([value, label]) => ({ value, label }));
  const set = <K extends keyof SearchFilters>(key: K, value: SearchFilters[K]) => setDraft((d) => ({ ...d, [key]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (draft.from && draft.to && draft.from > draft.to) errors.to = t('incidents.search.toBeforeFrom');
    if (!form.validate(errors, t('errors.validation'))) return;
    const next = searchFromFilters(draft);
    navigate(next ? `${WEB_PAGES.incidentSearch}?${next}` : WEB_PAGES.incidentSearch);
  }

  const victimOptions = [
    { value: '', label: t('incidents.search.anyVictim') },
    ...VICTIM_KINDS.map((kind) => ({ value: kind, label: t(`incidents.record.victimKinds.${kind.toLowerCase() as 'person'}`) })),
    ...terms('victim_characteristics'),
  ];
  return (
    <form ref={form.form} className="form search-filters" noValidate onSubmit={submit} aria-labelledby="search-filters-heading">
      <h2 id="search-filters-heading">{t('incidents.search.filters')}</h2>
      <FormMessage message={form.message} />
      <Field
        id={FIELDS.text}
        type="search"
        label={t('incidents.search.text')}
        hint={t('incidents.search.textHint')}
        value={draft.text}
        maxLength={200}
        onChange={(event) => set('text', event.target.value)}
      />
      <div className="search-filters__fields">
        <SelectField
          id="search-state"
          label={t('incidents.search.state')}
          value={draft.state}
          options={[{ value: '', label: t('incidents.search.anyState') }, ...states.map((s) => ({ value: s.code, label: s.name }))]}
          onChange={(event) => setDraft((d) => ({ ...d, state: event.target.value, municipality: '' }))}
        />
        <SelectField
          id="search-municipality"
          label={t('incidents.search.municipality')}
          hint={draft.state ? undefined : t('incidents.search.chooseStateFirst')}
          value={draft.municipality}
          disabled={!draft.state}
          options={[
            { value: '', label: t('incidents.search.anyMunicipality') },
            ...municipalities.map((m) => ({ value: m.code, label: m.name })),
          ]}
          onChange={(event) => set('municipality', event.target.value)}
        />
        <Field id="search-from" type="date" label={t('incidents.search.from')} value={draft.from} onChange={(event) => set('from', event.target.value)} />
        <Field
          id={FIELDS.to}
          type="date"
          label={t('incidents.search.to')}
          value={draft.to}
          error={form.fieldErrors.to}
          onChange={(event) => set('to', event.target.value)}
        />
        <SelectField
          id="search-victim"
          label={t('incidents.search.victimType')}
          value={draft.victimType}
          options={victimOptions}
          onChange={(event) => set('victimType', event.target.value)}
        />
        <SelectField
          id="search-status"
          label={t('incidents.search.status')}
          value={draft.status}
          options={[
            { value: '', label: t('incidents.search.anyStatus') },
            ...INCIDENT_STATUSES.map((status) => ({ value: status, label: t(`incidents.status.${status}`) })),
          ]}
          onChange={(event) => set('status', event.target.value)}
        />
        <SelectField
          id="search-sort"
          label={t('incidents.search.sort')}
          value={draft.sort}
          options={[
            { value: '', label: t('incidents.search.sorts.default') },
            ...SORTS.map((sort) => ({ value: sort, label: t(`incidents.search.sorts.${sort}`) })),
          ]}
          onChange={(event) => set('sort', event.target.value as SearchFilters['sort'])}
        />
      </div>
      <details className="search-filters__codes" open={draft.actTypes.length > 0}>
        <summary>
          {t('incidents.search.actTypes')}
          {draft.actTypes.length > 0 && ` (${t('incidents.search.chosen', { count: draft.actTypes.length })})`}
        </summary>
        <CheckboxGroup
          id="search-act-types"
          legend={t('incidents.search.actTypes')}
          options={terms('act_types')}
          value={draft.actTypes}
          onChange={(value) => set('actTypes', value)}
        />
      </details>
      <details className="search-filters__codes" open={draft.perpetratorTypes.length > 0}>
        <summary>
          {t('incidents.search.perpetratorTypes')}
          {draft.perpetratorTypes.length > 0 && ` (${t('incidents.search.chosen', { count: draft.perpetratorTypes.length })})`}
        </summary>
        <CheckboxGroup
          id="search-perpetrators"
          legend={t('incidents.search.perpetratorTypes')}
          options={terms('perpetrator_types')}
          value={draft.perpetratorTypes}
          onChange={(value) => set('perpetratorTypes', value)}
        />
      </details>
      <Checkbox id="search-evidence" label={t('incidents.search.hasEvidence')} checked={draft.hasEvidence} onChange={(value) => set('hasEvidence', value)} />
      <div className="button-row">
        <button type="submit" className="button button--primary">
          {t('incidents.search.submit')}
        </button>
        {isFiltered(filters) && <Link href={WEB_PAGES.incidentSearch}>{t('incidents.search.clear')}</Link>}
      </div>
    </form>
  );
}
