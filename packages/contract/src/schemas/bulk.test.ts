import { describe, expect, it } from 'vitest';
import { bulkOperationSchema, parseEmailList } from './bulk.ts';

describe('an email list', () => {
  it('finds the addresses in a spreadsheet paste, a CSV file or "Name <address>", each once, in order', () => {
    const csv = 'email,name,grade\r\nAna@School.edu,"Ruiz, Ana",10\nben@school.edu;Ben\n\n';
    expect(parseEmailList(csv)).toEqual(['ana@school.edu', 'ben@school.edu']);
    expect(parseEmailList('Chloé <chloe@school.edu>, ana@school.edu\tnot-an-email @ x@')).toEqual([
      'chloe@school.edu',
      'ana@school.edu',
    ]);
  });

  it('is refused past 500, and a move must go to another activity', () => {
    const emails = Array.from({ length: 501 }, (_, i) => `s${i}@school.edu`);
    expect(bulkOperationSchema.safeParse({ kind: 'add', activityId: 1, emails }).success).toBe(false);
    expect(
      bulkOperationSchema.safeParse({ kind: 'move', fromActivityId: 1, toActivityId: 1, studentIds: [1] })
        .error?.issues[0]?.message,
    ).toBe('choose another activity');
  });
});
