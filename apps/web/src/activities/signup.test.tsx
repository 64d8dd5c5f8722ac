import { describe, expect, it } from 'vitest';
import { joinButtonText } from './signup.tsx';

describe('the join button', () => {
  it('offers the waitlist when the API says a newcomer joins it, even with a seat free for those in line', () => {
    expect(joinButtonText({ joinsAs: 'waitlisted' })).toBe('Join the waitlist');
  });

  it('offers a signup when the API says a newcomer is enrolled', () => {
    expect(joinButtonText({ joinsAs: 'enrolled' })).toBe('Sign up');
  });
});
