import { describe, expect, it } from 'vitest';
import { type ScheduleFields, scheduleMismatch, scheduleText } from './schedule.ts';

const none = { scheduleDays: null, startTime: null, endTime: null };
const at = (
  scheduleDays: ScheduleFields['scheduleDays'],
  startTime: string,
  endTime: string,
  schedule = '',
): ScheduleFields => ({ schedule, scheduleDays, startTime, endTime });

describe('scheduleText: the structure where there is one, else the free text', () => {
  it.each<[string, ScheduleFields, string]>([
    ['one day', at(['friday'], '15:30', '16:30'), 'Fridays, 3:30 PM - 4:30 PM'],
    [
      'two days in week order',
      at(['thursday', 'tuesday'], '15:30', '17:00'),
      'Tuesdays and Thursdays, 3:30 PM - 5:00 PM',
    ],
    [
      'three days',
      at(['friday', 'monday', 'wednesday'], '07:00', '07:45'),
      'Mondays, Wednesdays and Fridays, 7:00 AM - 7:45 AM',
    ],
    ['noon and seconds', at(['saturday'], '12:00:00', '13:15:00'), 'Saturdays, 12:00 PM - 1:15 PM'],
    [
      'the structure over a text that disagrees',
      at(['friday'], '15:30', '16:30', 'Thursdays, 3:30 PM'),
      'Fridays, 3:30 PM - 4:30 PM',
    ],
    ['free text without structure', { schedule: ' Every other Tuesday ', ...none }, 'Every other Tuesday'],
    ['neither', { schedule: '', ...none }, ''],
  ])('%s', (_, fields, expected) => {
    expect(scheduleText(fields)).toBe(expected);
  });
});

describe('scheduleMismatch: a warning only when both are given and disagree', () => {
  it.each<[string, ScheduleFields, string | null]>([
    [
      'agree',
      at(['tuesday', 'thursday'], '15:30', '16:30', 'Tuesdays and Thursdays, 3:30 PM - 4:30 PM'),
      null,
    ],
    [
      'agree, abbreviated and 24-hour',
      at(['monday', 'wednesday'], '15:30', '16:30', 'Mon & Wed 15:30-16:30'),
      null,
    ],
    ['a text without days or times', at(['friday'], '15:30', '16:30', 'After school, in the gym'), null],
    ['no structure', { schedule: 'Thursdays', ...none }, null],
    ['no text', at(['friday'], '15:30', '16:30'), null],
    [
      'another day',
      at(['friday'], '15:30', '16:30', 'Thursdays, 3:30 PM - 4:30 PM'),
      'the text says Thursdays; the days are Fridays',
    ],
    [
      'a day missing',
      at(['monday', 'wednesday'], '15:00', '16:00', 'Mondays, 3 PM - 4 PM'),
      'the text says Mondays; the days are Mondays and Wednesdays',
    ],
    [
      'another time',
      at(['friday'], '16:00', '17:00', 'Fridays, 3:30 PM - 4:30 PM'),
      'the text says 3:30 PM - 4:30 PM; the times are 4:00 PM - 5:00 PM',
    ],
    [
      'both',
      at(['friday'], '16:00', '17:00', 'Thursdays 3:30pm'),
      'the text says Thursdays; the days are Fridays, and the text says 3:30 PM; the times are 4:00 PM - 5:00 PM',
    ],
  ])('%s', (_, fields, expected) => {
    expect(scheduleMismatch(fields)).toBe(expected);
  });
});
