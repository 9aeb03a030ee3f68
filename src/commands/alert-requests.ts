/*
 * Dates of the requests an alert makes of the authorities it addresses: calendar days in Mexico City,
 * where the networks and the authorities work, whatever the server's zone.
 */

/** The calendar date (YYYY-MM-DD) of an instant in Mexico City. */
export function mexicoCityDate(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City', year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
