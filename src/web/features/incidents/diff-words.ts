/*
 * A diff path (src/domain/json-diff.ts: `acts[a1].actType`, `place.stateCode`, `victims[v2].characteristics[0]`)
 * turned into words a reviewer reads ("Acto a1 · tipo"). The wording comes from the caller (the
 * reader's language); this module only takes the path apart. Pure, so that its tests run under Node.
 */

/** One step of a path: a part of the record named by its id, a field, or a position in a list. */
export type PathStep =
  | { type: 'part'; collection: string; id: string }
  | { type: 'field'; key: string; parent: string | null }
  | { type: 'position'; index: number };

const STEP = /([^.[\]]+)|\[([^\]]*)\]/g;
const NUMBER = /^\d+$/;

/**
 * The steps of a path. `acts[a1]` is one step (the act named a1); `characteristics[0]` is the field and
 * then its first position. Each field also knows the field or collection it sits in, for wording that
 * depends on it (a part's `date` versus the event's `startDate`).
 */
export function pathSteps(path: string): PathStep[] {
  const steps: PathStep[] = [];
  let parent: string | null = null;
  for (const match of path.matchAll(STEP)) {
    const [, key, bracket] = match;
    if (key !== undefined) {
      steps.push({ type: 'field', key, parent });
      parent = key;
      continue;
    }
    const inside = bracket ?? '';
    const previous = steps.at(-1);
    if (NUMBER.test(inside)) {
      steps.push({ type: 'position', index: Number(inside) });
    } else if (previous?.type === 'field') {
      // A list of parts matched by id: the collection and the id are one thing to a reader.
      steps[steps.length - 1] = { type: 'part', collection: previous.key, id: inside };
    } else {
      steps.push({ type: 'part', collection: parent ?? '', id: inside });
    }
  }
  return steps;
}

/** How to say each step; unknown fields fall back to their name in the record. */
export interface PathWording {
  part(collection: string, id: string): string;
  field(key: string, parent: string | null): string | undefined;
  position(index: number): string;
}

export const PATH_SEPARATOR = ' · ';

/** The path in words: `acts[a1].actType` → "Acto a1 · tipo". */
export function pathInWords(path: string, wording: PathWording): string {
  if (path === '') return wording.field('', null) ?? '';
  return pathSteps(path)
    .map((step) => {
      if (step.type === 'part') return wording.part(step.collection, step.id);
      if (step.type === 'position') return wording.position(step.index);
      return wording.field(step.key, step.parent) ?? step.key;
    })
    .join(PATH_SEPARATOR);
}

/** The last field a path names (`acts[a1].actType` → "actType"), to pick how to show its values. */
export function lastField(path: string): string | undefined {
  const steps = pathSteps(path);
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    if (step?.type === 'field') return step.key;
    if (step?.type === 'part') return undefined;
  }
  return undefined;
}
