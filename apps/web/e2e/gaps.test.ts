// Issue 20, item 9: what users expected and did not find, each test failing on the app as it was.
import { describe, expect, it } from 'vitest';
import { logIn, screenshot, useSite } from './harness.ts';

const site = await useSite();
const { client: admin } = await site.asAdmin();
const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const formatDay = (value: string) =>
  new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }).format(new Date(`${value}T12:00:00`));

let counter = 0;
const newStudent = (name: string) =>
  admin.students.create.mutate({
    email: `${name.toLowerCase().replace(/ /g, '.')}@mergington.edu`,
    name,
    grade: 10,
  });
const newActivityWith = async (...students: { email: string }[]) => {
  const activity = await admin.activities.create.mutate({ name: `Gaps ${++counter}`, maxParticipants: 5 });
  for (const student of students)
    await admin.participants.add.mutate({ activityId: activity.id, email: student.email });
  return activity;
};

describe('issue 20, item 9: gaps users expect', () => {
  it('a teacher edits the title and text of a news item, and readers see the new version', async () => {
    await admin.news.create.mutate({ title: 'Chess Club meets on Thursdy', content: 'Room 12 at 3:30.' });
    const page = await site.newPage();
    await logIn(page, 'teacher', 'mrodriguez', 'art123');
    await page.goto('/news');
    await page.getByRole('button', { name: 'Edit Chess Club meets on Thursdy' }).click();
    const form = page.getByRole('form', { name: 'Edit Chess Club meets on Thursdy' });
    await form.getByLabel('Title').fill('Chess Club meets on Thursday');
    await form.getByLabel('Text').fill('Room 14 at 3:30: room 12 is being painted.');
    await screenshot(page, 'news-edit');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved: Chess Club meets on Thursday.').waitFor();
    await page.getByRole('heading', { name: 'Chess Club meets on Thursday' }).waitFor();

    const reader = await site.newPage();
    await reader.goto('/news');
    await reader.getByText('Room 14 at 3:30: room 12 is being painted.').waitFor();
    expect(await reader.getByText('Thursdy').count()).toBe(0);
  });

  it("a position's former holders stay on the committees page with their dates, an ended term among them", async () => {
    const committee = await admin.committees.create.mutate({ name: 'Eco Council' });
    const [first, second] = [await newStudent('Fern Former'), await newStudent('Sol Sitting')];
    const earlier = { start: daysFromToday(-400), end: daysFromToday(-60) };
    await admin.positions.assign.mutate({
      committeeId: committee.id,
      studentId: first.id,
      positionName: 'President',
      termStart: earlier.start,
      termEnd: earlier.end,
    });
    await admin.positions.assign.mutate({
      committeeId: committee.id,
      studentId: second.id,
      positionName: 'President',
      termStart: earlier.end,
    });

    const page = await site.newPage();
    await logIn(page, 'teacher', 'mrodriguez', 'art123');
    await page.goto('/committees');
    const card = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'Eco Council' }) });
    const former = card.getByRole('list', { name: 'Former holders of Eco Council' });
    await expect
      .poll(() => former.getByRole('listitem').allTextContents())
      .toEqual([`President: Fern Former (from ${formatDay(earlier.start)} until ${formatDay(earlier.end)})`]);

    // Ending today's term moves its holder to the former holders rather than out of sight.
    await card.getByRole('button', { name: 'End term of Sol Sitting as President' }).click();
    await card.getByRole('button', { name: /^Yes, end term/ }).click();
    await card.getByText('No positions held at the moment.').waitFor();
    await expect
      .poll(() => former.getByRole('listitem').allTextContents())
      .toEqual([
        `President: Sol Sitting (from ${formatDay(earlier.end)} until ${formatDay(daysFromToday(0))})`,
        `President: Fern Former (from ${formatDay(earlier.start)} until ${formatDay(earlier.end)})`,
      ]);
    await screenshot(page, 'committees-history');

    // A visitor reads the history too, with names shortened as everywhere for visitors.
    const visitor = await site.newPage();
    await visitor.goto('/committees');
    await visitor.getByRole('list', { name: 'Former holders of Eco Council' }).getByText('Fern F.').waitFor();
  });

  it('an event offers a winner for one place only, says "No winner", and its judges are any of the teachers', async () => {
    const [ann, bo] = [await newStudent('Ann Archer'), await newStudent('Bo Bowman')];
    const activity = await newActivityWith(ann, bo);
    await admin.events.create.mutate({
      activityId: activity.id,
      name: 'Field Day',
      date: new Date(Date.now() - 86_400_000),
      prizes: [
        { place: 1, description: 'Gold' },
        { place: 2, description: 'Silver' },
        { place: 3, description: 'Bronze' },
      ],
    });
    const page = await site.newPage();
    await logIn(page, 'teacher', 'mrodriguez', 'art123');
    await page.goto(`/activities/${activity.id}/manage/events`);
    await page.getByText('Record results of Field Day').click();
    const results = page.locator('form').filter({ has: page.getByLabel('1st place') });
    for (const place of ['1st', '2nd', '3rd']) {
      await expect.poll(() => results.getByLabel(`${place} place`).inputValue()).toBe('');
      const chosen = results.getByLabel(`${place} place`).locator('option:checked');
      expect(await chosen.textContent()).toBe('No winner');
    }
    await results.getByLabel('1st place').selectOption({ label: 'Ann Archer' });
    // Ann won 1st: the other places do not offer her (the API refuses it too, naming her and the places).
    for (const place of ['2nd', '3rd']) {
      await expect
        .poll(() => results.getByLabel(`${place} place`).locator('option').allTextContents())
        .toEqual(['No winner', 'Bo Bowman']);
    }
    await screenshot(page, 'event-results-one-place');
    await results.getByLabel('2nd place').selectOption({ label: 'Bo Bowman' });
    await results.getByRole('button', { name: 'Save results of Field Day' }).click();
    await results.getByText('The results of Field Day are saved.').waitFor();
    await page.goto(`/activities/${activity.id}`);
    await page.getByText('Results: 1st Ann Archer, 2nd Bo Bowman, 3rd no winner').waitFor();
    await page.goto(`/activities/${activity.id}/manage/events`);

    // Ms. Rodriguez is no admin, and still picks her colleagues as judges.
    await page.getByText('New event', { exact: true }).click();
    await page.getByRole('button', { name: 'Add a judge' }).click();
    const judge = page.getByRole('combobox', { name: 'Judge', exact: true });
    await expect
      .poll(() => judge.locator('option').allTextContents())
      .toEqual(['Someone else (type the name)', 'Mr. Chen', 'Ms. Rodriguez', 'Principal Martinez']);
  });

  it('a payment is recorded only for a student signed up for the activity: the form offers no one else', async () => {
    const [signedUp, outsider] = [await newStudent('Paz Participant'), await newStudent('Otto Outsider')];
    const activity = await newActivityWith(signedUp);
    const page = await site.newPage();
    await logIn(page, 'teacher', 'principal', 'admin789');
    await page.goto('/payments');
    await page.getByText('Record a payment').click();
    const record = page.locator('details', { hasText: 'Record a payment' });
    const picker = record.getByRole('combobox', { name: 'Student', exact: true });
    await expect
      .poll(() => picker.locator('option').allTextContents())
      .toEqual(['Choose the activity first']);
    await record.getByLabel('Activity', { exact: true }).selectOption({ label: activity.name });
    await expect
      .poll(() => picker.locator('option').allTextContents())
      .toEqual(['Choose one of 1 match', 'Paz Participant (paz.participant@mergington.edu, grade 10)']);
    await record.getByLabel('Search by name or email').fill('otto');
    await expect
      .poll(() => picker.locator('option').allTextContents())
      .toEqual(['No student signed up for the activity matches']);
    await screenshot(page, 'payment-form-signed-up-only');
    await record.getByLabel('Search by name or email').fill('');
    await picker.selectOption({ label: 'Paz Participant (paz.participant@mergington.edu, grade 10)' });
    await record.getByLabel('Amount in $').fill('12');
    await record.getByRole('button', { name: 'Record payment' }).click();
    await record.getByText(`Recorded $12.00 for Paz Participant (${activity.name}).`).waitFor();

    // The API says why it refuses anyone else.
    await expect(
      admin.payments.create.mutate({ studentId: outsider.id, activityId: activity.id, amountCents: 1200 }),
    ).rejects.toThrow(
      `Otto Outsider is not signed up for ${activity.name}: a payment is recorded only for a student enrolled in the activity or on its waitlist`,
    );
  });
});
