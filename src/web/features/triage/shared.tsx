import { useTranslation } from 'react-i18next';
import type { CurrentSession } from '../../api/auth';
import { useFormat } from '../../i18n/format';
import { labelOf, type Vocabularies } from '../incident-editor/reference';
import type { DatePrecision, ReportSummary } from './types';

/** The organizations whose reports the person triages (documenters, reviewers, administrators). */
export function triageOrganizations(session: CurrentSession): CurrentSession['memberships'] {
  return session.memberships.filter((m) => m.roles.some((r) => r === 'documenter' || r === 'reviewer' || r === 'administrator'));
}

/** A date as precise as it is known: "27 de junio de 2019", "junio de 2019", "hacia el 27 de junio de 2019". */
export function useFuzzyDate(): (date: string | null, precision: DatePrecision | null) => string {
  const { t } = useTranslation();
  const format = useFormat();
  return (date, precision) => {
    if (!date) return t('triage.dateUnknown');
    const day = new Date(`${date}T00:00:00Z`);
    if (Number.isNaN(day.getTime())) return date;
    if (precision === 'month') return format.dateTime(day, { month: 'long', year: 'numeric', timeZone: 'UTC' });
    const text = format.dateTime(day, { dateStyle: 'long', timeZone: 'UTC' });
    return precision === 'approximate' ? t('triage.dateApproximate', { date: text }) : text;
  };
}

/** "Agua Prieta, Sonora", or as much of it as is known. */
export function placeName(
  states: ReadonlyArray<{ code: string; name: string }> | undefined,
  municipalities: ReadonlyMap<string, string>,
  stateCode: string | null,
  municipalityCode: string | null,
): string {
  const state = stateCode ? (states?.find((s) => s.code === stateCode)?.name ?? stateCode) : '';
  const municipality = municipalityCode ? (municipalities.get(municipalityCode) ?? municipalityCode) : '';
  return [municipality, state].filter(Boolean).join(', ');
}

/**
 * What the inbox and the report view both say about a report, as `<dt>`/`<dd>` pairs for the caller's
 * `<dl>`: when, where, by whom, through which channel.
 */
export function ReportWhenWhere({
  report,
  states,
  municipalities,
  vocabularies,
}: {
  report: Pick<ReportSummary, 'occurredOn' | 'datePrecision' | 'stateCode' | 'municipalityCode' | 'placeType' | 'perpetratorType' | 'channel'>;
  states: ReadonlyArray<{ code: string; name: string }> | undefined;
  municipalities: ReadonlyMap<string, string>;
  vocabularies: Vocabularies;
}) {
  const { t } = useTranslation();
  const fuzzyDate = useFuzzyDate();
  return (
    <>
      <dt>{t('triage.fields.occurredOn')}</dt>
      <dd>{fuzzyDate(report.occurredOn, report.datePrecision)}</dd>
      <dt>{t('triage.fields.place')}</dt>
      <dd>
        {placeName(states, municipalities, report.stateCode, report.municipalityCode) || t('triage.unknown')}
        {report.placeType && ` · ${labelOf(vocabularies.place_types, report.placeType)}`}
      </dd>
      <dt>{t('triage.fields.perpetrator')}</dt>
      <dd>{labelOf(vocabularies.perpetrator_types, report.perpetratorType) || t('triage.unknown')}</dd>
      <dt>{t('triage.fields.channel')}</dt>
      <dd>{t(`triage.channel.${report.channel}`)}</dd>
    </>
  );
}
