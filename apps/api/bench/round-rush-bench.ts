// pnpm bench:rush --round: the signup rush at a first-come round's opening. The rush's 3,000 students and
// 60 activities, the activities in a round with an opening window (ROUND_WINDOW_SECONDS, 5 by default) and a
// limit of 2 per student; every student signs up in the round's opening second (one in ten for three
// activities at once), the draw is placed at the window's end by a student reading the round, and the
// invariants are checked. Exits 1 when an invariant fails, never for timing. See the README (Signup rush).
import { availableParallelism, loadavg } from 'node:os';
import { startApiProcess } from '../src/process.ts';
import { freshBenchDatabase, percentile } from './load-client.ts';
import {
  createOpeningRound,
  openingChoices,
  openingInvariantViolations,
  readOpeningSnapshot,
  readRoundAsStudent,
} from './round-rush.ts';
import { runRush, seedRush, WARM_UP, warmUp, warmUpNote } from './signup-rush.ts';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const STUDENTS = 3_000;
const ACTIVITIES = 60;
const WINDOW_SECONDS = Number(process.env.ROUND_WINDOW_SECONDS ?? 5);
const MAX_PER_STUDENT = 2;
/** From the round's creation to its opening: time for the API to settle and the students to be waiting. */
const LEAD_MS = 3_000;
const GOAL_SECONDS = 10;
const WORKERS = process.env.API_WORKERS ?? String(availableParallelism());

const load = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
const url = await freshBenchDatabase(SERVER, 'mergington_round_rush');
const data = await seedRush(url, { students: STUDENTS, activities: ACTIVITIES });
const totalSeats = data.capacities.reduce((sum, seats) => sum + seats, 0);
const choicesOf = (index: number) => openingChoices(index, ACTIVITIES);
const signups = data.students.reduce((sum, _, index) => sum + choicesOf(index).length, 0);
const loadBefore = load();

const api = await startApiProcess(url, { API_WORKERS: WORKERS });
let rush, round, trigger, triggerMs, loadAfter;
let warmUpMs = 0;
try {
  if (WARM_UP) warmUpMs = await warmUp(api.origin, data);
  round = await createOpeningRound(url, {
    activityIds: data.activityIds,
    windowSeconds: WINDOW_SECONDS,
    maxPerStudent: MAX_PER_STUDENT,
    leadMs: LEAD_MS,
  });
  rush = await runRush(api.origin, data, { opensAt: round.opensAt, choicesOf });
  loadAfter = load();
  // The students were told "results at" the window's end: one of them reads the round then, which places
  // the draw unless a signup after the window already did.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, round!.drawAt - Date.now())));
  const asked = performance.now();
  trigger = await readRoundAsStudent(api.origin, data.students[1]!.token);
  triggerMs = performance.now() - asked;
} finally {
  api.stop();
  await api.exited;
}

const { answers, attemptErrors, maxInFlight, startedAt } = rush;
const snapshot = await readOpeningSnapshot(url, round.id);
const violations = openingInvariantViolations(snapshot, answers);
const finishedAt = new Map<number, number>();
for (const answer of answers)
  if (answer.status !== 0 && answer.status !== 503)
    finishedAt.set(answer.studentId, Math.max(finishedAt.get(answer.studentId) ?? 0, answer.answeredAt));
const answeredStudents = data.students.filter(
  (student) =>
    finishedAt.has(student.id) &&
    answers
      .filter((answer) => answer.studentId === student.id)
      .every((answer) => answer.status !== 0 && answer.status !== 503),
).length;
const lastAnswer = (Math.max(...finishedAt.values()) - startedAt) / 1000;
const latencies = answers.map((answer) => answer.answeredAt - answer.firstSentAt).sort((a, b) => a - b);
const errors = new Map<string, number>();
for (const answer of answers.filter((answer) => !answer.signup)) {
  const key = `${answer.status} ${answer.code ?? ''}`.trim();
  errors.set(key, (errors.get(key) ?? 0) + 1);
}
const byStatus = (status: string) => answers.filter((answer) => answer.signup?.status === status).length;
const triples = data.students.filter((_, index) => choicesOf(index).length > MAX_PER_STUDENT).length;
const placedAfter = snapshot.round.placedAt === null ? null : (snapshot.round.placedAt - round.drawAt) / 1000;
const enrolled = snapshot.participants.filter((row) => row.status === 'enrolled').length;
const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const errorList = (map: Map<string, number>) =>
  [...map].map(([key, count]) => `${key}: ${count}`).join(', ') || 'none';
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
const designedErrors =
  [...errors].every(([key]) => key === '400 BAD_REQUEST') && (errors.get('400 BAD_REQUEST') ?? 0) === triples;

console.log(
  `\nround rush: ${STUDENTS} students, ${ACTIVITIES} activities of 5 to 150 seats (${totalSeats} seats) in a first-come round ` +
    `with a ${WINDOW_SECONDS} s opening window and at most ${MAX_PER_STUDENT} activities per student; ${signups} signups ` +
    `(one student in ten asks for 3 at once); ${availableParallelism()} cores shared by loader, API and PostgreSQL at ` +
    `${new URL(SERVER).host}; load average before: ${loadBefore}, after the signups: ${loadAfter}\n`,
);
const row = (measure: string, result: string, goal: string) =>
  console.log(`| ${measure} | ${result} | ${goal} |`);
console.log('| measure | result | goal |');
console.log('| --- | --- | --- |');
row(
  'students answered ("in the opening draw" counts), time from the opening to the last answer',
  `${answeredStudents} of ${STUDENTS} in ${lastAnswer.toFixed(2)} s`,
  `all ${STUDENTS} within ${GOAL_SECONDS} s: ${verdict(answeredStudents === STUDENTS && lastAnswer <= GOAL_SECONDS)}`,
);
row(
  'latency per signup p50 / p99 (ms)',
  `${fmt(percentile(latencies, 0.5))} / ${fmt(percentile(latencies, 0.99))}`,
  '',
);
row(
  'answers',
  `${byStatus('in_draw')} in the draw, ${byStatus('enrolled')} enrolled and ${byStatus('waitlisted')} waitlisted first come after the window`,
  '',
);
row(
  'errors (final answers) by code',
  errorList(errors),
  `only the ${triples} third signups over the limit (400): ${verdict(designedErrors)}`,
);
row(
  'opening draw placed, after the window ended',
  placedAfter === null
    ? 'never'
    : `${placedAfter.toFixed(2)} s (${snapshot.entries.length} held signups of ${new Set(snapshot.entries.map((e) => e.studentId)).size} students; rounds.mine at the window's end: ${trigger.status} in ${triggerMs.toFixed(0)} ms)`,
  `placed: ${verdict(placedAfter !== null)}`,
);
row(
  'enrolled / waitlisted',
  `${enrolled} / ${snapshot.participants.length - enrolled}`,
  `${totalSeats} seats`,
);
row(
  'invariants',
  violations.length ? `${violations.length} FAILED (below)` : 'all hold',
  `all hold: ${verdict(!violations.length)}`,
);
const retried = answers.filter((answer) => answer.attempts > 1).length;
console.log(
  `\nAPI_WORKERS=${WORKERS}, DB_POOL_MAX=${process.env.DB_POOL_MAX ?? '10 (default)'} per worker; ` +
    warmUpNote(warmUpMs) +
    `each student waited for the ` +
    `opening and sent at a random moment of its first second, over a connection per signup; at most ${maxInFlight} requests ` +
    `in flight; ${retried} signups retried a 503; every attempt's errors: ${errorList(attemptErrors)}. Invariants: no activity ` +
    `over capacity, counters equal rows, no student over ${MAX_PER_STUDENT}, no duplicates, nothing accepted before opensAt or ` +
    `held after the window, every held signup placed in the order openingDrawOrder gives for the stored seed (${snapshot.round.seed}), ` +
    `before any first-come signup, nobody enrolled behind a waitlisted signup, every answer matching the rows.`,
);
for (const problem of violations) console.log(`invariant failed: ${problem}`);
if (violations.length) process.exitCode = 1;
