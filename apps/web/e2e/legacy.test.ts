import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSite } from './harness.ts';

// A school in the middle of moving (LEGACY_API=teachers with LEGACY_STATIC_DIR): its old page at /static/,
// calling the old endpoints as the later old app's script did, and this app beside it at /app/.
const oldStatic = await mkdtemp(join(tmpdir(), 'mergington-old-static-'));
await writeFile(
  join(oldStatic, 'index.html'),
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mergington High School</title>
<link rel="icon" href="favicon.ico"></head>
<body>
  <h1>Mergington High School</h1>
  <form id="login-form"><label>Username <input id="username"></label>
    <label>Password <input id="password" type="password"></label><button>Login</button></form>
  <form id="signup-form"><label>Student email <input id="email"></label>
    <label>Activity <select id="activity"></select></label><button>Register</button></form>
  <p id="message"></p>
  <ul id="activities-list"></ul>
  <script src="app.js"></script>
</body></html>`,
);
// What the old script did: query parameters, `teacher_username` beside the cookie, inline styles.
await writeFile(
  join(oldStatic, 'app.js'),
  `let currentUser = null;
const message = document.getElementById('message');
async function fetchActivities() {
  const activities = await (await fetch('/activities/')).json();
  document.getElementById('activities-list').innerHTML = Object.entries(activities)
    .map(([name, details]) => '<li><strong>' + name + '</strong> <span style="width: ' +
      (details.participants.length / details.max_participants) * 100 + '%">' +
      details.participants.length + ' enrolled</span></li>')
    .join('');
  document.getElementById('activity').innerHTML = Object.keys(activities)
    .map((name) => '<option>' + name + '</option>').join('');
}
document.getElementById('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const username = document.getElementById('username').value;
  const password = document.getElementById('password').value;
  const response = await fetch('/auth/login?username=' + encodeURIComponent(username) + '&password=' +
    encodeURIComponent(password), { method: 'POST' });
  const data = await response.json();
  if (response.ok) currentUser = data;
  message.textContent = response.ok ? 'Welcome, ' + data.display_name + '!' : data.detail;
});
document.getElementById('signup-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const email = document.getElementById('email').value;
  const activity = document.getElementById('activity').value;
  const response = await fetch('/activities/' + encodeURIComponent(activity) + '/signup?email=' +
    encodeURIComponent(email) + '&teacher_username=' + encodeURIComponent(currentUser.username), { method: 'POST' });
  const result = await response.json();
  message.textContent = response.ok ? result.message : result.detail;
  fetchActivities();
});
fetchActivities();
`,
);
await writeFile(join(oldStatic, 'favicon.ico'), '');
const site = await useSite({ LEGACY_API: 'teachers', LEGACY_STATIC_DIR: oldStatic });

describe('moving from the old app, one page at a time', () => {
  it('the old page works at / (it signs a teacher in), and this app at /app/ sees its signup', async () => {
    const page = await site.newPage();
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/static/index.html');
    await page.locator('#activities-list').getByText('Chess Club').waitFor();

    await page.getByLabel('Username').fill('mrodriguez');
    await page.getByLabel('Password').fill('art123');
    await page.getByRole('button', { name: 'Login' }).click();
    await page.getByText('Welcome, Ms. Rodriguez!').waitFor();
    await page.getByLabel('Student email').fill('kiosk.student@mergington.edu');
    await page.getByLabel('Activity').selectOption('Chess Club');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('Signed up kiosk.student@mergington.edu for Chess Club').waitFor();
    await page.getByText('3 enrolled').first().waitFor();

    // This app, in the same browser: signed in by the old page's login, the signup in its Manage view.
    await page.goto('/app/');
    await page.getByRole('button', { name: /^Log out/ }).waitFor();
    await page.getByRole('link', { name: 'Chess Club' }).first().click();
    await page.getByRole('link', { name: 'Manage Chess Club' }).click();
    await page.getByRole('cell', { name: 'kiosk.student@mergington.edu' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/app\/activities\/\d+\/manage$/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'News' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/app/news');
  });
});
