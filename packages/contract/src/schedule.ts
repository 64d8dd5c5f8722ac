// An activity's schedule in words. Where the structured fields (days, start and end) are given, they are the
// truth, and the words are built from them; the free text is shown only where there is no structure. The web
// app and the API both say a schedule through here, so a card can never read "Thursdays" under the Friday filter.
import { WEEKDAYS, type Weekday } from './constants.ts';

export interface ScheduleFields {
  /** As people write it ("Tuesdays and Thursdays, 3:30 PM - 4:30 PM"). */
  schedule: string;
  scheduleDays: readonly Weekday[] | null;
  /** "HH:MM" (seconds, if any, are ignored). */
  startTime: string | null;
  endTime: string | null;
}

const capitalised = (day: Weekday) => `${day[0]!.toUpperCase()}${day.slice(1)}`;

/** "15:30" → "3:30 PM"; "12:00" → "12:00 PM"; "00:15" → "12:15 AM". */
export function clockTime(time: string): string {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  return `${hour12}:${String(minutes).padStart(2, '0')} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** Days in the week's order, as a list people say: "Mondays", "Tuesdays and Thursdays", "Mondays, Wednesdays and Fridays". */
function dayList(days: readonly Weekday[]): string {
  const names = WEEKDAYS.filter((day) => days.includes(day)).map((day) => `${capitalised(day)}s`);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Whether the structured fields are all given (the contract accepts all three or none). */
export const hasStructuredSchedule = (
  fields: Pick<ScheduleFields, 'scheduleDays' | 'startTime' | 'endTime'>,
): boolean => !!(fields.scheduleDays?.length && fields.startTime && fields.endTime);

/** The schedule to show: built from the structure when there is one, else the free text ('' when neither). */
export function scheduleText(fields: ScheduleFields): string {
  if (!hasStructuredSchedule(fields)) return fields.schedule.trim();
  return `${dayList(fields.scheduleDays!)}, ${clockTime(fields.startTime!)} - ${clockTime(fields.endTime!)}`;
}

// Day names as people write them: "Fri", "Fridays", "Thurs." ...
const DAY_WORDS: [Weekday, RegExp][] = [
  ['monday', /\bmon(day)?s?\b/i],
  ['tuesday', /\btue(s(day)?)?s?\b/i],
  ['wednesday', /\bwed(nesday)?s?\b/i],
  ['thursday', /\bthu(r(s(day)?)?)?s?\b/i],
  ['friday', /\bfri(day)?s?\b/i],
  ['saturday', /\bsat(urday)?s?\b/i],
  ['sunday', /\bsun(day)?s?\b/i],
];
// "3:30 PM", "3 pm", "15:30", "3.30pm"
const TIME = /\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\.?\b|\b(\d{1,2})[:.](\d{2})\b/gi;

/** The times written in a text, as "HH:MM", in order. */
function timesIn(text: string): string[] {
  return [...text.matchAll(TIME)].map((match) => {
    const [, h12, m12, meridiem, h24, m24] = match;
    let hours = Number(h12 ?? h24);
    if (meridiem) hours = (hours % 12) + (meridiem.toLowerCase() === 'p' ? 12 : 0);
    return `${String(hours).padStart(2, '0')}:${m12 ?? m24 ?? '00'}`;
  });
}

/**
 * Where the free text and the structure are both given and disagree, what differs ("the text says Thursdays;
 * the days are Fridays"), for a warning in the activity form; null when they agree, or one is missing. Only
 * what the text names is compared: a text with no day names, say, is not held to the days.
 */
export function scheduleMismatch(fields: ScheduleFields): string | null {
  const text = fields.schedule.trim();
  if (!text || !hasStructuredSchedule(fields)) return null;
  const problems: string[] = [];
  const written = DAY_WORDS.filter(([, pattern]) => pattern.test(text)).map(([day]) => day);
  const days = fields.scheduleDays!;
  if (written.length && (written.length !== days.length || written.some((day) => !days.includes(day)))) {
    problems.push(`the text says ${dayList(written)}; the days are ${dayList(days)}`);
  }
  const times = timesIn(text);
  const [start, end] = [fields.startTime!.slice(0, 5), fields.endTime!.slice(0, 5)];
  if (times.length && (times[0] !== start || (times[1] !== undefined && times[1] !== end))) {
    const said = times.slice(0, 2).map(clockTime).join(' - ');
    problems.push(`the text says ${said}; the times are ${clockTime(start)} - ${clockTime(end)}`);
  }
  return problems.length ? problems.join(', and ') : null;
}
