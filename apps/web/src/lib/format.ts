const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });
const dayAndTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

export const formatCents = (cents: number) => money.format(cents / 100);
export const formatDate = (date: Date) => day.format(date);
export const formatDateTime = (date: Date) => dayAndTime.format(date);
const timeOfDay = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** "08:01" on the device's clock. */
export const formatTime = (date: Date) => timeOfDay.format(date);
/** A "YYYY-MM-DD" day of the API, shown without shifting it through the local time zone. */
export const formatDay = (value: string) => day.format(new Date(`${value}T12:00:00`));

/** "4.5 ★ (12 reviews)", or null when nobody rated it. */
export function formatRating(average: number | null, count: number): string | null {
  if (average === null || count === 0) return null;
  return `${average.toFixed(1)} ★ (${count} ${count === 1 ? 'review' : 'reviews'})`;
}

export const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** "competition_results" → "Competition results". */
export const labelOf = (value: string) => capitalize(value.replaceAll(/[_-]/g, ' '));

/** Cents from what a person types: "12", "12.5", "$12.50". NaN when it is not an amount. */
export function parseCents(text: string): number {
  const match = /^\s*\$?\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!match) return Number.NaN;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/**
 * 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st (the API words a draw's places with the same function). From its
 * own subpath: the package's index would bring every schema into the first screen's bundle, built before
 * zod-config.ts turns off zod's eval probe (a CSP violation in the console).
 */
export { ordinal } from '@mergington/contract/ordinal';

/** Where a student stands in a roster, as staff read it: "Enrolled", "Waitlist, number 2", "Withdrawn", "Refused". */
export function rosterStatusText(status: string, waitlistPosition: number | null): string {
  return status === 'waitlisted' ? `Waitlist, number ${waitlistPosition}` : capitalize(status);
}
