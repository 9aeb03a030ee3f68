import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import type { CurrentSession } from '../../api/auth';
import { ApiError } from '../../api/client';
import { signalsApi, type Signal } from '../../api/signals';
import { SelectField } from '../../components/form';
import { ActionMessages, ListView, useAction, useResource } from '../../components/resource';
import { useDocumentTitle } from '../../components/use-document-title';
import { useFormat } from '../../i18n/format';
import { RequireSession } from '../../session/RequireSession';
import { usePlaces, useReferenceLanguage, useVocabularies } from '../incidents/labels';
import { incidentPath } from '../incidents/paths';
import { TextAreaField } from '../incidents/TextArea';
import { SIGNAL_STATUS_FILTERS, searchFromStatusFilter, statusFilterFromSearch, type SignalStatusFilter } from './status-filter';
import { useDayText, useLegalRuleName } from './rule-text';
import './signals.css';

/** The networks whose signals this person may see: those where they document or review (the server decides). */
export function signalNetworks(session: CurrentSession): Array<{ id: string; name: string }> {
  return session.memberships
    .filter((m) => m.organization.kind === 'network' && m.roles.some((role) => role === 'documenter' || role === 'reviewer'))
    .map((m) => ({ id: m.organization.id, name: m.organization.name }));
}

/** `/senales[?estado=…]`: each of the person's networks' signals, urgent first, to draft an alert from or dismiss. */
export function SignalInboxPage() {
  return <RequireSession>{(session) => <SignalInbox networks={signalNetworks(session)} />}</RequireSession>;
}

function SignalInbox({ networks }: { networks: Array<{ id: string; name: string }> }) {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const filter = statusFilterFromSearch(useSearch());
  useDocumentTitle(t('signals.title'));
  const choose = (next: SignalStatusFilter) => {
    const search = searchFromStatusFilter(next);
    navigate(search ? `${WEB_PAGES.signalInbox}?${search}` : WEB_PAGES.signalInbox);
  };
  return (
    <>
      <h1>{t('signals.title')}</h1>
      <p>{t('signals.intro')}</p>
      <p>
        <Link href={WEB_PAGES.alertRules}>{t('signals.rulesLink')}</Link>
      </p>
      <SelectField
        id="signal-status"
        label={t('signals.filter')}
        value={filter}
        options={SIGNAL_STATUS_FILTERS.map((value) => ({ value, label: t(`signals.filters.${value}`) }))}
        onChange={(event) => choose(event.target.value as SignalStatusFilter)}
      />
      {networks.length === 0 ? (
        <p>{t('signals.noNetworks')}</p>
      ) : (
        networks.map((network) => <NetworkSignals key={`${network.id}-${filter}`} network={network} filter={filter} />)
      )}
    </>
  );
}

function NetworkSignals({ network, filter }: { network: { id: string; name: string }; filter: SignalStatusFilter }) {
  const { t } = useTranslation();
  const headingId = useId();
  const list = useResource(useCallback((signal: AbortSignal) => signalsApi.list(network.id, filter === 'all' ? undefined : filter, signal), [network.id, filter]));
  const action = useAction((error) => (error instanceof ApiError && error.code === 'CONFLICT' ? t('signals.dismiss.conflict') : undefined));
  const dismiss = (signal: Signal, reason: string) =>
    action.run(async () => {
      try {
        await signalsApi.dismiss(signal.id, reason);
        return t('signals.dismiss.done');
      } finally {
        await list.reload();
      }
    });
  return (
    <section aria-labelledby={headingId} className="signal-network">
      <h2 id={headingId} ref={action.focusAfter} tabIndex={-1}>
        {network.name}
      </h2>
      <ActionMessages message={action.message} />
      <ListView resource={list.resource} empty={t(`signals.none.${filter}`)}>
        {(signals) => (
          <ol className="plain-list signal-list">
            {signals.map((signal) => (
              <li key={signal.id}>
                <SignalCard signal={signal} busy={action.busy} onDismiss={(reason) => dismiss(signal, reason)} />
              </li>
            ))}
          </ol>
        )}
      </ListView>
    </section>
  );
}

function SignalCard({ signal, busy, onDismiss }: { signal: Signal; busy: boolean; onDismiss: (reason: string) => Promise<void> }) {
  const { t } = useTranslation();
  const format = useFormat();
  const lang = useReferenceLanguage();
  const titleId = useId();
  const when = (iso: string) => (
    <time dateTime={iso}>{format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' })}</time>
  );
  return (
    <article aria-labelledby={titleId} className={`record-part signal${signal.urgent ? ' signal--urgent' : ''}`}>
      <h3 id={titleId}>
        {signal.urgent && <span className="signal__urgent">{t('signals.urgent')}</span>} {signal.rule.description[lang]}
      </h3>
      <dl className="facts">
        <dt>{t('signals.rule')}</dt>
        <dd>{t('signals.ruleValue', { id: signal.rule.id, version: signal.rule.version })}</dd>
        <dt>{t('signals.kind')}</dt>
        <dd>{t(`rules.kinds.${signal.rule.kind}`)}</dd>
        <dt>{t('signals.status')}</dt>
        <dd>{t(`signals.statuses.${signal.status}`)}</dd>
        <dt>{t('signals.urgency')}</dt>
        <dd>{signal.urgent ? t('signals.urgentYes') : t('signals.urgentNo')}</dd>
        <dt>{t('signals.firstFired')}</dt>
        <dd>{when(signal.firstFiredAt)}</dd>
        <dt>{t('signals.lastFired')}</dt>
        <dd>{when(signal.lastFiredAt)}</dd>
        {signal.dismissalReason && (
          <>
            <dt>{t('signals.dismissalReason')}</dt>
            <dd className="history-note">{signal.dismissalReason}</dd>
          </>
        )}
      </dl>
      <Figures signal={signal} />
      <h4>{t('signals.incidents', { count: signal.incidentIds.length })}</h4>
      <ul className="signal__incidents">
        {signal.incidentIds.map((id, index) => (
          <li key={id}>
            <Link href={incidentPath(id)}>{t('signals.incident', { number: index + 1, id: id.slice(0, 8) })}</Link>
          </li>
        ))}
      </ul>
      {signal.status === 'open' && <SignalActions signal={signal} busy={busy} onDismiss={onDismiss} />}
      {signal.status === 'drafted' && signal.alertId && (
        <p>
          <Link href={WEB_PAGES.alertEdit.replace(':id', encodeURIComponent(signal.alertId))}>{t('signals.openDraft')}</Link>
        </p>
      )}
    </article>
  );
}

/** What fired the signal, in words: counts, states, the window, the legal rule or acts, as the rule kind gives them. */
function Figures({ signal }: { signal: Signal }) {
  const { t } = useTranslation();
  const format = useFormat();
  const day = useDayText();
  const { stateName } = usePlaces([]);
  const { label } = useVocabularies(['act_types', 'addressees']);
  const legalRule = useLegalRuleName();
  const f = signal.figures;
  const list = (items: string[]) => items.join(', ');
  return (
    <>
      <h4>{t('signals.figures.title')}</h4>
      <dl className="facts">
        <dt>{t('signals.figures.incidents')}</dt>
        <dd>{format.number(f.incidents)}</dd>
        {f.states.length > 0 && (
          <>
            <dt>{t('signals.figures.states', { count: f.states.length })}</dt>
            <dd>{list(f.states.map(stateName))}</dd>
          </>
        )}
        {f.from && f.to && (
          <>
            <dt>{t('signals.figures.period')}</dt>
            <dd>{t('signals.figures.periodValue', { from: day(f.from), to: day(f.to) })}</dd>
          </>
        )}
        {f.days !== undefined && (
          <>
            <dt>{t('signals.figures.window')}</dt>
            <dd>{t('signals.figures.days', { count: f.days, days: format.number(f.days) })}</dd>
          </>
        )}
        {f.current !== undefined && f.previousAverage !== undefined && (
          <>
            <dt>{t('signals.figures.escalation')}</dt>
            <dd>{t('signals.figures.escalationValue', { current: format.number(f.current), average: format.number(f.previousAverage, { maximumFractionDigits: 1 }) })}</dd>
          </>
        )}
        {f.shelterOrganizationId && (
          <>
            <dt>{t('signals.figures.shelter')}</dt>
            <dd>{t('signals.figures.shelterValue', { id: f.shelterOrganizationId.slice(0, 8) })}</dd>
          </>
        )}
        {f.legalRuleId && (
          <>
            <dt>{t('signals.figures.legalRule')}</dt>
            <dd>{legalRule(f.legalRuleId)}</dd>
          </>
        )}
        {f.actTypes && f.actTypes.length > 0 && (
          <>
            <dt>{t('signals.figures.actTypes')}</dt>
            <dd>{list(f.actTypes.map((code) => label('act_types', code)))}</dd>
          </>
        )}
        {f.addressees && f.addressees.length > 0 && (
          <>
            <dt>{t('signals.figures.addressees')}</dt>
            <dd>{list(f.addressees.map((code) => label('addressees', code)))}</dd>
          </>
        )}
      </dl>
    </>
  );
}

/** "Redactar alerta" (the drafting page builds the draft from the signal) and "Descartar" with its required reason. */
function SignalActions({ signal, busy, onDismiss }: { signal: Signal; busy: boolean; onDismiss: (reason: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [dismissing, setDismissing] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const reasonId = `signal-${signal.id}-reason`;
  // Opening the form takes the reader to the reason, the one thing it asks for.
  useEffect(() => {
    if (dismissing) document.getElementById(reasonId)?.focus();
  }, [dismissing, reasonId]);
  const draftHref = `${WEB_PAGES.alertNew}?${new URLSearchParams({ senal: signal.id, red: signal.networkId }).toString()}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setError(t('signals.dismiss.reasonRequired'));
      document.getElementById(reasonId)?.focus();
      return;
    }
    setError(undefined);
    void onDismiss(reason.trim());
  };
  return (
    <div className="signal__actions">
      <div className="signal-actions">
        <Link href={draftHref} className="button button--primary">
          {t('signals.draft')}
        </Link>
        {!dismissing && (
          <button type="button" className="button" onClick={() => setDismissing(true)}>
            {t('signals.dismiss.open')}
          </button>
        )}
      </div>
      {dismissing && (
        <form className="form signal__dismiss" noValidate onSubmit={submit}>
          <TextAreaField
            id={reasonId}
            label={t('signals.dismiss.reason')}
            hint={t('signals.dismiss.hint')}
            value={reason}
            maxLength={2000}
            required
            error={error}
            onChange={(event) => setReason(event.target.value)}
          />
          <div className="signal-actions">
            <button type="submit" className="button button--danger" disabled={busy}>
              {t('signals.dismiss.confirm')}
            </button>
            <button type="button" className="button" onClick={() => setDismissing(false)}>
              {t('signals.dismiss.cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
