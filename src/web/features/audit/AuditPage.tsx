import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import type { CurrentSession } from '../../api/auth';
import { auditApi, organizationsApi, type AuditEntry } from '../../api/organizations';
import { Field, FormMessage, useErrorText, useFormState } from '../../components/form';
import { ResourceView, useResource } from '../../components/resource';
import { DataTable } from '../../components/table';
import { useDocumentTitle } from '../../components/use-document-title';
import { useFormat } from '../../i18n/format';
import { RequireSession } from '../../session/RequireSession';
import { administeredOrganizations, mayReadAudit } from '../../session/administration';
import { apiFilters, filtersFromSearch, searchFromFilters, UUID, type FilterValues } from './filters';
import './audit.css';

/**
 * The audit log, newest first: every entry for instance administrators, their organizations' entries
 * for organization administrators. Filters are kept in the address; more entries load on request.
 */
export default function AuditPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('audit.title'));
  return (
    <RequireSession>
      {(session) =>
        mayReadAudit(session) ? (
          <AuditLog session={session} />
        ) : (
          <>
            <h1>{t('audit.heading')}</h1>
            <p>{t('audit.notAdministrator')}</p>
          </>
        )
      }
    </RequireSession>
  );
}

interface Page {
  data: AuditEntry[];
  nextCursor: string | null;
}

function AuditLog({ session }: { session: CurrentSession }) {
  const { t } = useTranslation();
  const format = useFormat();
  const errorText = useErrorText();
  const search = useSearch();
  const values = useMemo(() => filtersFromSearch(search), [search]);
  const log = useResource(
    useCallback((signal: AbortSignal) => auditApi.entries(apiFilters(values), undefined, signal), [values]),
  );
  const names = useNames(session);
  const [more, setMore] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const count = useRef<HTMLParagraphElement>(null);

  async function loadMore(page: Page) {
    if (!page.nextCursor) return;
    setMore({ busy: true });
    try {
      const next = await auditApi.entries(apiFilters(values), page.nextCursor);
      log.set({ data: [...page.data, ...next.data], nextCursor: next.nextCursor });
      setMore({ busy: false });
      // The button is gone when there is nothing more; keep the keyboard where the news is.
      if (!next.nextCursor) count.current?.focus();
    } catch (error) {
      setMore({ busy: false, error: errorText(error) });
    }
  }

  return (
    <>
      <h1>{t('audit.heading')}</h1>
      <p>{t(session.user.isInstanceAdmin ? 'audit.introAll' : 'audit.introOrganizations')}</p>
      <FilterForm key={search} values={values} />
      <ResourceView resource={log.resource}>
        {(page) => (
          <>
            <p ref={count} tabIndex={-1} role="status" className="audit-count">
              {page.data.length === 0
                ? t('audit.none')
                : t(page.nextCursor ? 'audit.shown' : 'audit.shownAll', { number: format.number(page.data.length) })}
            </p>
            {page.data.length > 0 && (
              <DataTable
                id="audit-table"
                caption={t('audit.caption')}
                columns={[
                  t('audit.columns.time'),
                  t('audit.columns.action'),
                  t('audit.columns.actor'),
                  t('audit.columns.subject'),
                  t('audit.columns.organization'),
                  t('audit.columns.details'),
                ]}
              >
                {page.data.map((entry) => (
                  <EntryRow key={entry.seq} entry={entry} names={names} session={session} />
                ))}
              </DataTable>
            )}
            <FormMessage message={more.error} />
            {page.nextCursor && (
              <button type="button" className="button" disabled={more.busy} onClick={() => void loadMore(page)}>
                {more.busy ? t('audit.loadingMore') : t('audit.loadMore')}
              </button>
            )}
          </>
        )}
      </ResourceView>
    </>
  );
}

const FIELDS = { action: 'audit-action', actorId: 'audit-actor', from: 'audit-from', to: 'audit-to' };

function FilterForm({ values }: { values: FilterValues }) {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const [draft, setDraft] = useState(values);
  const form = useFormState(FIELDS);
  const field = (key: keyof FilterValues) => ({
    id: FIELDS[key],
    value: draft[key],
    error: form.fieldErrors[key],
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [key]: event.target.value }),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (draft.actorId.trim() && !UUID.test(draft.actorId.trim())) errors.actorId = t('audit.filters.actorInvalid');
    if (draft.from && draft.to && draft.from > draft.to) errors.to = t('audit.filters.toBeforeFrom');
    if (!form.validate(errors, t('errors.validation'))) return;
    const query = searchFromFilters(draft);
    navigate(query ? `${WEB_PAGES.audit}?${query}` : WEB_PAGES.audit);
  }

  const filtered = Object.values(values).some(Boolean);
  return (
    <form ref={form.form} className="form audit-filters" noValidate onSubmit={submit} aria-labelledby="audit-filters-heading">
      <h2 id="audit-filters-heading">{t('audit.filters.heading')}</h2>
      <FormMessage message={form.message} />
      <div className="audit-filters__fields">
        <Field {...field('action')} label={t('audit.filters.action')} hint={t('audit.filters.actionHint')} spellCheck={false} autoComplete="off" />
        <Field {...field('actorId')} label={t('audit.filters.actor')} hint={t('audit.filters.actorHint')} spellCheck={false} autoComplete="off" />
        <Field {...field('from')} label={t('audit.filters.from')} type="date" />
        <Field {...field('to')} label={t('audit.filters.to')} type="date" />
      </div>
      <div className="audit-filters__actions">
        <button type="submit" className="button button--primary">
          {t('audit.filters.submit')}
        </button>
        {filtered && <Link href={WEB_PAGES.audit}>{t('audit.filters.clear')}</Link>}
      </div>
    </form>
  );
}

interface Names {
  organizations: Map<string, string>;
  people: Map<string, string>;
}

/**
 * Names for the ids in the log, as far as this person may see them: the organizations they can list
 * and the people of the organizations they administer. Anything else is shown by its id.
 */
function useNames(session: CurrentSession): Names {
  const [names, setNames] = useState<Names>({ organizations: new Map(), people: new Map() });
  const administered = useMemo(() => administeredOrganizations(session).map((m) => m.organization.id), [session]);
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    void Promise.allSettled([
      organizationsApi.list(signal),
      Promise.allSettled(administered.map((id) => organizationsApi.members(id, signal))),
    ]).then(([organizations, members]) => {
      if (signal.aborted) return;
      const next: Names = { organizations: new Map(), people: new Map([[session.user.id, session.user.displayName]]) };
      if (organizations.status === 'fulfilled') for (const o of organizations.value.data) next.organizations.set(o.id, o.name);
      const lists = members.status === 'fulfilled' ? members.value : [];
      for (const list of lists) if (list.status === 'fulfilled') for (const m of list.value.data) next.people.set(m.userId, m.displayName);
      setNames(next);
    });
    return () => controller.abort();
  }, [administered, session.user.id, session.user.displayName]);
  return names;
}

const SUBJECT_TYPES = ['user', 'organization', 'session', 'invitation', 'api_token'] as const;
type KnownSubjectType = (typeof SUBJECT_TYPES)[number];
const isKnownSubjectType = (value: string | null): value is KnownSubjectType =>
  (SUBJECT_TYPES as readonly (string | null)[]).includes(value);

function EntryRow({ entry, names, session }: { entry: AuditEntry; names: Names; session: CurrentSession }) {
  const { t } = useTranslation();
  const format = useFormat();
  const personName = (id: string | null) =>
    id === session.user.id ? t('audit.you', { name: session.user.displayName }) : id ? names.people.get(id) : undefined;
  const subjectName =
    entry.subjectType === 'user'
      ? personName(entry.subjectId)
      : entry.subjectType === 'organization' && entry.subjectId
        ? names.organizations.get(entry.subjectId)
        : undefined;
  const details = Object.entries(entry.details);
  return (
    <tr>
      <td>
        <time dateTime={entry.occurredAt}>
          {format.dateTime(new Date(entry.occurredAt), { dateStyle: 'medium', timeStyle: 'medium' })}
        </time>
      </td>
      <th scope="row">
        <code className="audit-action">{entry.action}</code>
      </th>
      <td>
        <Named
          name={entry.actorType === 'user' ? (personName(entry.actorId) ?? t('audit.actorTypes.user')) : t(`audit.actorTypes.${entry.actorType}`)}
          id={entry.actorId}
          alwaysId
        />
      </td>
      <td>
        {entry.subjectType && (
          <>
            {isKnownSubjectType(entry.subjectType) ? t(`audit.subjectTypes.${entry.subjectType}`) : entry.subjectType}
            {': '}
          </>
        )}
        <Named name={subjectName} id={entry.subjectId} />
      </td>
      <td>
        <Named name={entry.organizationId ? names.organizations.get(entry.organizationId) : undefined} id={entry.organizationId} />
      </td>
      <td>
        {details.length > 0 && (
          <ul className="plain-list audit-details">
            {details.map(([key, value]) => (
              <li key={key}>
                {key}: <code>{typeof value === 'string' ? value : JSON.stringify(value)}</code>
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}

/**
 * A name, the id when there is no name (or always, with `alwaysId`: an actor's id is what the filter
 * takes), or a dash for nothing.
 */
function Named({ name, id, alwaysId = false }: { name: string | undefined; id: string | null; alwaysId?: boolean }) {
  const { t } = useTranslation();
  if (!name && !id) {
    return (
      <>
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">{t('audit.nothing')}</span>
      </>
    );
  }
  return (
    <>
      {name && <span className="audit-name">{name}</span>}
      {id && (alwaysId || !name) && <code className="audit-id">{id}</code>}
    </>
  );
}
