import type { AcceptedSuggestions, ReportForTriage } from '../triage/types.js';
import { emptyDraft, type IncidentDraft } from './draft.js';

const TITLE_WORDS = 10;
const TITLE_MAX = 120;
const UNIT_MAX = 500;

/**
 * A title drafted from the testimony's first words (its first sentence at most), for the documenter to
 * rewrite: a record needs one, and the first words usually say what happened.
 */
export function draftTitle(text: string): string {
  const sentence = text.trim().split(/(?<=[.!?¡¿])\s|\n/)[0] ?? '';
  const words = sentence.split(/\s+/).filter(Boolean);
  let title = words.slice(0, TITLE_WORDS).join(' ');
  const cut = words.length > TITLE_WORDS || title.length > TITLE_MAX;
  if (title.length > TITLE_MAX) title = title.slice(0, TITLE_MAX).replace(/\s+\S*$/, '');
  title = title.replace(/[\s.,;:!?]+$/, '');
  return cut ? `${title}…` : title;
}

/**
 * The record the editor opens with when a report becomes an incident. The report's own codes come first
 * (the reporter chose them), then the suggestions the documenter accepted. The testimony becomes the
 * narrative for the documenter to redact; the shelter is the one victim, as an organization; each
 * accepted act type is an act against it, with an involvement per perpetrator (what identifies the force,
 * from the report's description, as the unit).
 */
export function draftFromReport(report: ReportForTriage, accepted: AcceptedSuggestions): IncidentDraft {
  const draft = emptyDraft();
  const stateCode = report.stateCode ?? accepted.states[0] ?? accepted.municipalities[0]?.slice(0, 2) ?? '';
  const municipalityCode =
    report.municipalityCode ?? accepted.municipalities.find((code) => stateCode !== '' && code.startsWith(stateCode)) ?? '';
  const perpetrators = unique([...(report.perpetratorType ? [report.perpetratorType] : []), ...accepted.perpetratorTypes]);
  const actTypes = unique(accepted.actTypes);

  draft.title = draftTitle(report.whatHappened);
  draft.narrative = report.whatHappened;
  draft.startDate = report.occurredOn ? { date: report.occurredOn, precision: report.datePrecision ?? 'day' } : draft.startDate;
  draft.stateCode = stateCode;
  draft.municipalityCode = municipalityCode;
  draft.placeType = report.placeType ?? accepted.placeTypes[0] ?? '';
  draft.victims = [
    {
      id: 'v1',
      kind: 'organization',
      name: report.shelterName.trim(),
      organizationId: null,
      characteristics: unique(report.extra?.victimCharacteristics ?? []),
      count: '',
      description: '',
    },
  ];
  draft.acts = actTypes.map((actType, i) => ({
    id: `a${i + 1}`,
    actType,
    victimId: 'v1',
    date: { date: '', precision: 'day' },
    method: '',
    consequences: '',
  }));
  const unit = report.whoDescription.trim().slice(0, UNIT_MAX);
  draft.involvements = draft.acts.flatMap((act) =>
    perpetrators.map((perpetratorType) => ({ id: '', actId: act.id, perpetratorType, degree: 'DIRECTLY_CARRIED_OUT', unit })),
  );
  draft.involvements.forEach((involvement, i) => (involvement.id = `i${i + 1}`));
  return draft;
}

function unique(codes: readonly string[]): string[] {
  return [...new Set(codes)];
}
