import { describe, expect, it } from 'vitest';
import { logIn, register, screenshot, useSite } from './harness.ts';

const site = await useSite();
const LENA = { email: 'lena.park@mergington.edu', name: 'Lena Park', password: 'a good password' };

describe('the staff', () => {
  it('a teacher (Ms. Rodriguez) creates an activity, adds a student picked by name, posts news the student sees', async () => {
    const student = await site.newPage();
    await register(student, LENA.email, LENA.name, LENA.password);

    const teacher = await site.newPage();
    await logIn(teacher, 'teacher', 'mrodriguez', 'art123');
    await teacher.getByRole('link', { name: 'New activity' }).click();
    await teacher.getByLabel('Name', { exact: true }).fill('Pottery Club');
    await teacher.getByLabel('Category (optional)').fill('Arts');
    await teacher.getByLabel('Description').fill('Wheel throwing, hand building and glazing.');
    await teacher.getByLabel('Schedule as people say it').fill('Tuesdays, 3:30 PM - 5:00 PM');
    await teacher.getByLabel('Tuesday').check();
    await teacher.getByLabel('Starts at').fill('15:30');
    await teacher.getByLabel('Ends at').fill('17:00');
    await teacher.getByLabel('Max participants').fill('8');
    await screenshot(teacher, 'activity-form');
    await teacher.getByRole('button', { name: 'Create activity' }).click();
    await teacher.getByRole('heading', { level: 1, name: 'Pottery Club' }).waitFor();
    await teacher.getByRole('link', { name: 'Manage Pottery Club' }).click();

    await teacher.getByLabel('Search by name or email').fill('lena');
    const picker = teacher.getByRole('combobox', { name: 'Add a student', exact: true });
    await expect.poll(() => picker.locator('option').count()).toBe(2);
    await picker.selectOption({ label: `${LENA.name} (${LENA.email}, grade 10)` });
    await teacher.getByRole('button', { name: 'Add student' }).click();
    await teacher.getByText(`${LENA.name} is enrolled in Pottery Club.`).waitFor();
    await teacher.getByRole('cell', { name: LENA.email }).waitFor();
    await teacher.getByText('1 of 8 seats taken.').waitFor();
    await screenshot(teacher, 'teacher-tools');

    await teacher.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'News' }).click();
    await teacher.getByText('Write a news item').click();
    await teacher.getByLabel('Title').fill('Pottery Club opens');
    await teacher.getByLabel('Text').fill('First class on Tuesday: bring an apron.');
    await teacher.getByLabel('About the activity').selectOption({ label: 'Pottery Club' });
    await teacher.getByRole('button', { name: 'Post news' }).click();
    await teacher.getByRole('heading', { name: 'Pottery Club opens' }).waitFor();

    await student.goto('/news');
    await student.getByRole('heading', { name: 'Pottery Club opens' }).waitFor();
    await screenshot(student, 'news');
    await student.goto('/me');
    await student.getByRole('link', { name: 'Pottery Club' }).waitFor();
  });

  it('an admin records a payment that the student then sees as paid', async () => {
    const admin = await site.newPage();
    await logIn(admin, 'teacher', 'principal', 'admin789');
    await admin.getByRole('link', { name: 'Payments' }).click();
    await admin.getByText('Record a payment').click();
    const record = admin.locator('details', { hasText: 'Record a payment' });
    await record.getByLabel('Activity', { exact: true }).selectOption({ label: 'Pottery Club' });
    await record.getByLabel('Search by name or email').fill('lena');
    const picker = record.getByRole('combobox', { name: 'Student', exact: true });
    await expect.poll(() => picker.locator('option').count()).toBe(2);
    await picker.selectOption({ label: `${LENA.name} (${LENA.email}, grade 10)` });
    await record.getByLabel('Amount in $').fill('25');
    await record.getByLabel('For (optional)').fill('Clay and glaze');
    await record.getByRole('button', { name: 'Record payment' }).click();
    const row = admin.getByRole('row', { name: new RegExp(`^${LENA.name}`) });
    await row.getByText('Pending').waitFor();
    await row.getByRole('button', { name: /^Mark paid/ }).click();
    await row.getByRole('button', { name: /^Yes, mark paid/ }).click();
    await row.getByText('Paid').waitFor();
    await screenshot(admin, 'payments');

    await admin.getByRole('link', { name: 'Dashboard' }).click();
    await admin.getByRole('heading', { name: 'How full the activities are' }).waitFor();
    expect(await admin.getByRole('img').count()).toBeGreaterThanOrEqual(2); // fill rate, payments
    await screenshot(admin, 'dashboard');

    const student = await site.newPage();
    await logIn(student, 'student', LENA.email, LENA.password);
    await student.goto('/me');
    const payment = student.getByRole('row', { name: /Pottery Club/ });
    await payment.getByText('Paid').waitFor();
    expect(await payment.textContent()).toContain('$25.00');
  });

  it('finds all of it again after the API restarts', async () => {
    const before = await site.newPage();
    await logIn(before, 'student', LENA.email, LENA.password);
    const session = await before.context().storageState();
    await site.restartApi();
    const student = await site.newPage({ session });
    await student.goto('/me');
    await student.getByRole('link', { name: 'Pottery Club' }).waitFor();
    await student
      .getByRole('row', { name: /Pottery Club/ })
      .getByText('Paid')
      .waitFor();
    await student.goto('/news');
    await student.getByRole('heading', { name: 'Pottery Club opens' }).waitFor();
    await student.goto('/?q=pottery');
    await expect
      .poll(() => student.locator('.activity-card').getByTestId('seats').allTextContents())
      .toEqual(['7 of 8 seats left']);
  });
});
