import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Router } from 'wouter';
import { ActivityCard, seatsText } from './ActivityCard.tsx';

const chess = {
  id: 7,
  name: 'Chess Club',
  description: 'Learn strategies',
  schedule: 'Fridays, 3:30 PM - 5:00 PM',
  scheduleDays: ['friday' as const],
  startTime: '15:30',
  endTime: '17:00',
  termStartsOn: null,
  termEndsOn: null,
  category: 'Academic',
  allowedGrades: null,
  maxParticipants: 12,
  enrolledCount: 11,
  spotsLeft: 1,
  waitlistCount: 0,
  minGroupSize: null,
  maxGroupSize: null,
  version: 1,
  averageRating: 4.5,
  ratingCount: 2,
  joinsAs: 'enrolled' as const,
  myStanding: null,
};

describe('an activity card', () => {
  it('says how many seats are left, or how long the waitlist is', () => {
    expect(seatsText(chess)).toBe('1 of 12 seats left');
    expect(seatsText({ ...chess, spotsLeft: 5 })).toBe('5 of 12 seats left');
    expect(seatsText({ ...chess, spotsLeft: 0, enrolledCount: 12 })).toBe('Full');
    expect(seatsText({ ...chess, spotsLeft: 0, waitlistCount: 3 })).toBe('Full · 3 on the waitlist');
  });

  it('shows the days and times, not a free text that disagrees with them', () => {
    const html = renderToStaticMarkup(
      <Router ssrPath="/">
        <ActivityCard activity={{ ...chess, schedule: 'Thursdays after school' }} />
      </Router>,
    );
    expect(html).toContain('Fridays, 3:30 PM - 5:00 PM');
    expect(html).not.toContain('Thursdays');
  });

  it('shows name (linking to its page), category, schedule, seats and rating', () => {
    const html = renderToStaticMarkup(
      <Router ssrPath="/">
        <ActivityCard activity={chess} />
      </Router>,
    );
    expect(html).toContain('<a href="/activities/7">Chess Club</a>');
    expect(html).toContain('Academic');
    expect(html).toContain('Fridays, 3:30 PM - 5:00 PM');
    expect(html).toContain('1 of 12 seats left');
    expect(html).toContain('4.5 ★ (2 reviews)');
    expect(html).not.toContain('data-testid="standing"');
  });

  it("shows the signed-in student's standing as the API words it", () => {
    const standing = { status: 'waitlisted' as const, waitlistPosition: 2, label: 'Waitlist #2' };
    const html = renderToStaticMarkup(
      <Router ssrPath="/">
        <ActivityCard activity={{ ...chess, myStanding: standing }} />
      </Router>,
    );
    expect(html).toContain('<p class="standing standing-waitlisted" data-testid="standing">Waitlist #2</p>');
  });
});
