import type { DraftProblems, IncidentDraft, Problem } from './draft.js';

/** One field the server refused, as its 400 details list them. */
export interface ServerProblem {
  field: string;
  message: string;
}

/**
 * Puts the server's 400 details next to the editor's fields. The server names fields two ways: schema
 * validation by position (`document.acts.1.victimId`), the vocabulary check by kind (`acts[].actType`,
 * with the code in its message) — the second is matched back to every part that uses that code. A date's
 * `date`/`precision` and a coordinate's `lat`/`lon` belong to the one control the editor shows for them.
 * What names no field the editor has is returned as `unplaced`, for the form's own message.
 */
export function problemsFromServer(
  problems: readonly ServerProblem[],
  draft: IncidentDraft,
): { fields: DraftProblems; unplaced: ServerProblem[] } {
  const fields: DraftProblems = {};
  const unplaced: ServerProblem[] = [];
  const known = fieldsOf(draft);
  for (const problem of problems) {
    const kind = problemKind(problem.message);
    const paths = pathsFor(problem, draft).filter((path) => known.has(path));
    if (paths.length === 0) unplaced.push(problem);
    for (const path of paths) fields[path] ??= kind;
  }
  return { fields, unplaced };
}

/** The field paths of the controls the editor shows for `draft`. */
export function fieldsOf(draft: IncidentDraft): Set<string> {
  const fields = new Set([
    'title',
    'narrative',
    'narrativeLanguage',
    'startDate',
    'endDate',
    'place.stateCode',
    'place.municipalityCode',
    'place.placeType',
    'place.coordinates',
  ]);
  const each = (list: readonly unknown[], prefix: string, names: readonly string[]) =>
    list.forEach((_, i) => names.forEach((name) => fields.add(`${prefix}.${i}.${name}`)));
  each(draft.victims, 'victims', ['kind', 'name', 'characteristics', 'count', 'description']);
  each(draft.acts, 'acts', ['actType', 'victimId', 'date', 'method', 'consequences']);
  each(draft.involvements, 'involvements', ['actId', 'perpetratorType', 'degree', 'unit']);
  each(draft.sources, 'sources', ['sourceType', 'connection', 'reliability', 'name', 'contact', 'date', 'description']);
  each(draft.interventions, 'interventions', ['interventionType', 'status', 'date', 'addressedTo', 'reference', 'description']);
  each(draft.links, 'links', ['incidentId', 'relation']);
  return fields;
}

const LIST_FIELDS: Record<string, (draft: IncidentDraft) => readonly object[]> = {
  victims: (d) => d.victims,
  acts: (d) => d.acts,
  involvements: (d) => d.involvements,
  sources: (d) => d.sources,
  interventions: (d) => d.interventions,
  links: (d) => d.links,
};

function pathsFor(problem: ServerProblem, draft: IncidentDraft): string[] {
  // `links[2].incidentId` → `links.2.incidentId`; the body's `document.` prefix is not the editor's.
  const path = problem.field.replace(/^document\./, '').replace(/\[(\d+)\]/g, '.$1');
  const byKind = /^(\w+)\[\]\.(\w+)$/.exec(path);
  if (byKind) {
    const [, list, name] = byKind as unknown as [string, string, string];
    const code = /"([^"]+)"/.exec(problem.message)?.[1];
    const items = LIST_FIELDS[list]?.(draft) ?? [];
    return items.flatMap((item, i) => {
      const value = (item as Record<string, unknown>)[name];
      const uses = Array.isArray(value) ? value.includes(code) : value === code;
      return code === undefined || uses ? [`${list}.${i}.${name}`] : [];
    });
  }
  return [collapse(path)];
}

/** A date's or coordinate's parts are one control in the editor. */
function collapse(path: string): string {
  return path
    .replace(/^(startDate|endDate)\.(date|precision)$/, '$1')
    .replace(/\.date\.(date|precision)$/, '.date')
    .replace(/^place\.coordinates\.(lat|lon)$/, 'place.coordinates')
    .replace(/^(victims\.\d+\.characteristics)\.\d+$/, '$1');
}

/** The server words its problems in English for developers; the editor says them in the reader's language. */
export function problemKind(message: string): Problem {
  if (/names no victim/i.test(message)) return 'noVictim';
  if (/names no act/i.test(message)) return 'noAct';
  if (/names no incident/i.test(message)) return 'notAnIncident';
  if (/before the start date/i.test(message)) return 'endBeforeStart';
  if (/is not a municipality of state/i.test(message)) return 'notInState';
  if (/is not a term of|is not an INEGI/i.test(message)) return 'unknownCode';
  if (/at least \d+ characters/i.test(message)) return 'tooShort';
  if (/required/i.test(message)) return 'required';
  return 'invalid';
}
