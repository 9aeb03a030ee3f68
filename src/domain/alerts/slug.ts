/**
 * The public address of an alert, from its Spanish title: lower-case ASCII words joined by hyphens
 * ("Hostigamiento a albergues en 5 estados" → "hostigamiento-a-albergues-en-5-estados"), at most 80
 * characters, cut at a word. `taken` says whether a candidate is in use; a number is added until it is not.
 */
export function alertSlug(title: string, taken: (slug: string) => boolean): string {
  const words = title
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let base = '';
  for (const word of words) {
    const next = base ? `${base}-${word}` : word;
    if (next.length > 80) break;
    base = next;
  }
  if (!base) base = 'alerta';
  if (!taken(base)) return base;
  for (let n = 2; ; n += 1) if (!taken(`${base}-${n}`)) return `${base}-${n}`;
}
