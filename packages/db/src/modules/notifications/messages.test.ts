import { describe as suite, expect, it } from 'vitest';
import { describe } from './messages.ts';

suite("the rounds' messages", () => {
  it('names every place and waitlist of a lottery result, or says no place was available', () => {
    const round = { roundId: 3, roundName: 'Winter clubs' };
    expect(
      describe('round_results', {
        ...round,
        places: ['Chess', 'Drama'],
        waitlists: ['Band', 'Choir', 'Film'],
      }),
    ).toEqual({
      title: 'Winter clubs: you have a place in Chess and Drama',
      body: 'The results of Winter clubs are out: you have a place in Chess and Drama. You are on the waitlist of Band, Choir and Film.',
      link: '/rounds',
    });
    expect(describe('round_results', { ...round, places: [], waitlists: [] })).toEqual({
      title: 'Winter clubs: no place was available',
      body: 'The results of Winter clubs are out: none of your choices had a place for you.',
      link: '/rounds',
    });
    expect(describe('round_results', { ...round, places: ['Drama'], cancelledActivity: 'Chess' })).toEqual({
      title: 'Chess is cancelled: you have a place in Drama',
      body: 'Chess was cancelled, and your next choices were tried: you have a place in Drama.',
      link: '/rounds',
    });
  });

  it('tells a lottery to rank and a first-come round to sign up', () => {
    const when = { roundName: 'Spring clubs', roundWhen: 'Mon 7 Jan 2030, 08:00' };
    expect(describe('round_opening', { ...when, roundMode: 'lottery' }).body).toMatch(
      /: rank the activities/,
    );
    expect(describe('round_opening', { ...when, roundMode: 'first_come' }).body).toMatch(/: sign up for/);
    expect(describe('round_closed', { ...when, roundMode: 'first_come' }).title).toBe(
      'Spring clubs is closed',
    );
  });
});
