import { describe, expect, it } from 'vitest';
import { logIn, screenshot, useSite } from './harness.ts';

const site = await useSite();

describe('bulk changes', () => {
  it('a teacher adds students from a pasted list and a file, sees who is refused, then moves two of them', async () => {
    const { client } = await site.asAdmin();
    const robotics = await client.activities.create.mutate({ name: 'Robotics Lab', maxParticipants: 2 });
    const makers = await client.activities.create.mutate({ name: 'Makers Club', maxParticipants: 5 });
    const people = ['Ana Ruiz', 'Ben Okafor', 'Chloé Martin'].map((name) => ({
      name,
      email: `${name.split(' ')[0]!.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')}@mergington.edu`,
    }));
    for (const person of people) await client.students.create.mutate({ ...person, grade: 10 });

    const page = await site.newPage();
    await logIn(page, 'teacher', 'mrodriguez', 'art123');
    await page.goto(`/activities/${robotics.id}/manage`);
    await page.getByRole('link', { name: /^Bulk changes/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Bulk changes to Robotics Lab' }).waitFor();

    // Pasted from a spreadsheet (with its header and names), and a file with one more and an unknown one.
    await page
      .getByLabel("Students' school emails")
      .fill(`email,name\n${people[0]!.email},${people[0]!.name}\n${people[1]!.email},${people[1]!.name}`);
    await page.getByLabel('Or read a CSV or text file').setInputFiles({
      name: 'more.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${people[2]!.email}\nghost@mergington.edu\n`),
    });
    await page.getByText('4 addresses found.').waitFor();
    await page.getByRole('button', { name: 'Preview' }).click();
    const ghost = page.getByRole('row', { name: /ghost@mergington.edu/ });
    await ghost.getByText('no student has this email').waitFor();
    expect(await ghost.getByRole('cell').allTextContents()).toEqual([
      '–',
      'Refused',
      'no student has this email',
    ]);
    await page
      .getByRole('row', { name: /Chloé Martin/ })
      .getByText('Waitlist, number 1')
      .waitFor();
    await screenshot(page, 'bulk-preview');

    // All or nothing would change nobody: the screen says so rather than sending it.
    await page.getByText('All or nothing would change nobody: 1 of the list is refused.').waitFor();
    expect(await page.getByRole('button', { name: 'Apply to 3 of 4' }).isDisabled()).toBe(true);

    await page.getByLabel('Skip the refused and change the others').check();
    await page.getByRole('button', { name: 'Apply to 3 of 4' }).click();
    await page.getByText('Done: 2 enrolled, 1 waitlisted, 1 refused.').waitFor();
    const added = await client.participants.list.query({ activityId: robotics.id });
    expect(added.items.map((p) => [p.name, p.status])).toEqual([
      ['Ana Ruiz', 'enrolled'],
      ['Ben Okafor', 'enrolled'],
      ['Chloé Martin', 'waitlisted'],
    ]);

    // Move Ana (enrolled) and Chloé (waiting) to Makers Club: the one who waited moves too, so no one is promoted.
    await page.getByLabel('Move chosen participants to another activity').check();
    await page.getByLabel('Ana Ruiz').check();
    await page.getByLabel('Chloé Martin').check();
    await page.getByLabel('To the activity').selectOption({ label: 'Makers Club (5 seats left)' });
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByText('2 enrolled, 0 waitlisted, 2 withdrawn from Robotics Lab, 0 refused.').waitFor();
    await page.getByRole('button', { name: 'Apply to 2 of 2' }).click();
    await page
      .getByText('Done: 2 enrolled, 0 waitlisted, 2 withdrawn from Robotics Lab, 0 refused.')
      .waitFor();
    const moved = await client.participants.list.query({ activityId: makers.id });
    expect(moved.items.map((p) => p.name)).toEqual(['Ana Ruiz', 'Chloé Martin']);
    expect(
      (await client.participants.list.query({ activityId: robotics.id })).items.map((p) => p.name),
    ).toEqual(['Ben Okafor']);
    await screenshot(page, 'bulk-result');
  });
});
