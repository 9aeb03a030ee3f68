/**
 * The differences between two versions of a record, as a list of paths with their values before and
 * after: what a reviewer reads to see exactly what changed. Arrays of parts with an `id` are matched by
 * id (so reordering is not a change and an edited act shows as that act's fields), other arrays by position.
 */
export interface Change {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before: unknown;
  after: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function diffJson(before: unknown, after: unknown): Change[] {
  const changes: Change[] = [];
  walk(before as Json, after as Json, '', changes);
  return changes;
}

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasIds(a: Json[]): a is Array<{ id: string } & Record<string, Json>> {
  return a.every((x) => isObject(x) && typeof x.id === 'string');
}

function walk(a: Json | undefined, b: Json | undefined, path: string, out: Change[]): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) return void out.push({ path, kind: 'added', before: null, after: b });
  if (b === undefined) return void out.push({ path, kind: 'removed', before: a, after: null });
  if (Array.isArray(a) && Array.isArray(b)) {
    if (hasIds(a) && hasIds(b)) {
      const left = new Map(a.map((x) => [x.id, x]));
      const right = new Map(b.map((x) => [x.id, x]));
      for (const [id, x] of left) walk(x, right.get(id), `${path}[${id}]`, out);
      for (const [id, y] of right) if (!left.has(id)) walk(undefined, y, `${path}[${id}]`, out);
      return;
    }
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) walk(a[i], b[i], `${path}[${i}]`, out);
    return;
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) walk(a[key], b[key], path ? `${path}.${key}` : key, out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, kind: 'changed', before: a, after: b });
}
