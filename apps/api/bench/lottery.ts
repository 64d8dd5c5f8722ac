// pnpm bench:lottery: a ranked-choice lottery of 3,000 students ranking 5 of 100 activities each. Times
// the allocation itself (allocate, pure), a preview (reading the round's input from the database, then
// allocating) and the publication (writing every enrolment, waitlist entry and draw row in one
// transaction), beside the goal (allocation under 2 s). See the README (Signup rounds).
import { loadavg } from 'node:os';
import {
  allocate,
  findRound,
  initORM,
  loadLottery,
  previewAllocation,
  publishAllocation,
} from '@mergington/db';
import { freshBenchDatabase } from './load-client.ts';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// Smaller sizes and another database name are for its test (lottery.test.ts), which runs it as the README does.
const STUDENTS = Number(process.env.LOTTERY_STUDENTS ?? 3_000);
const DATABASE = process.env.LOTTERY_DATABASE ?? 'mergington_lottery';
const ACTIVITIES = 100;
const CHOICES = 5;
const SEATS = 25;
const GOAL_MS = 2_000;

const url = await freshBenchDatabase(SERVER, DATABASE);
const orm = await initORM({ url });
const em = () => orm.em.fork();
const run = (text: string, params: unknown[] = []) => em().getConnection().execute(text, params);

await run(
  `insert into activity (name, max_participants, allowed_grades, schedule_days, start_time, end_time)
   select 'Activity ' || n, ?, case when n % 10 = 0 then '{11,12}'::smallint[] end,
          array[(array['monday','tuesday','wednesday','thursday','friday'])[1 + n % 5]],
          make_time(15 + n % 3, 0, 0), make_time(16 + n % 3, 0, 0)
     from generate_series(1, ?) n`,
  [SEATS, ACTIVITIES],
);
await run(
  `insert into student (email, name, grade)
   select 'lottery' || n || '@mergington.edu', 'Student ' || n, 9 + n % 4 from generate_series(1, ?) n`,
  [STUDENTS],
);
const [round] = (await run(
  `insert into signup_round (name, mode, opens_at, closes_at, max_per_student, no_overlap, max_choices, seniors_first)
   values ('Bench lottery', 'lottery', now() - interval '1 day', now() + interval '1 day', 2, true, ?, true)
   returning id`,
  [CHOICES],
)) as [{ id: number }];
await run(
  `insert into signup_round_activity (round_id, activity_id, min_participants) select ?, id, 10 from activity`,
  [round.id],
);
// Five distinct choices per student, popularity skewed to the low ids (a few activities everyone wants).
await run(
  `insert into round_ranking (round_id, student_id, activity_id, rank)
   select ?, s.id, c.activity_id, row_number() over (partition by s.id order by c.first_seen)
     from student s
     cross join lateral (
       select activity_id, min(k) as first_seen
         from (select k, 1 + floor(power(random(), 2) * ${ACTIVITIES})::int as activity_id
                 from generate_series(1, 40) k where s.id > 0) draws
        group by activity_id order by min(k) limit ${CHOICES}) c`,
  [round.id],
);

const time = async <T>(work: () => Promise<T> | T): Promise<[T, number]> => {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
};
const load = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');

const loaded = await loadLottery(em(), await findRound(em(), round.id));
const pure: number[] = [];
for (let seed = 1; seed <= 5; seed++) pure.push((await time(() => allocate({ ...loaded.input, seed })))[1]);
pure.sort((a, b) => a - b);
const [preview, previewMs] = await time(() => previewAllocation(em(), round.id));
const [, publishMs] = await time(() => publishAllocation(em(), preview));
const [check] = (await run(
  `select count(*) filter (where status = 'enrolled')::int as enrolled, count(*)::int as signups,
          (select count(*)::int from activity where enrolled_count > max_participants) as over,
          (select count(*)::int from notification where kind = 'round_results') as notices
     from activity_participant`,
)) as [{ enrolled: number; signups: number; over: number; notices: number }];
await orm.close();

const ms = (n: number) => `${n.toFixed(0)} ms`;
console.log(
  `\nlottery: ${STUDENTS} students x ${CHOICES} choices over ${ACTIVITIES} activities of ${SEATS} seats, limit 2, no overlaps, seniors first`,
);
console.log(`load average: ${load()}\n`);
console.log(
  `allocate (pure), 5 seeds: median ${ms(pure[2]!)}, max ${ms(pure[4]!)}   goal < ${ms(GOAL_MS)}: ${pure[4]! < GOAL_MS ? 'met' : 'MISSED'}`,
);
console.log(
  `preview (read the input from the database + allocate): ${ms(previewMs)}   goal < ${ms(GOAL_MS)}: ${previewMs < GOAL_MS ? 'met' : 'MISSED'}`,
);
console.log(
  `publish (one transaction: re-read, allocate, write ${check.signups} signups, ${STUDENTS} draw rows and ${check.notices} results notifications): ${ms(publishMs)}`,
);
const { statistics } = preview;
console.log(
  `first choice ${(statistics.firstChoiceShare * 100).toFixed(1)}%, any choice ${(statistics.anyChoiceShare * 100).toFixed(1)}%, ` +
    `unplaced ${statistics.unplaced}, ${check.enrolled} enrolled, ${check.signups - check.enrolled} waitlisted, ` +
    `activities over capacity: ${check.over}, under their minimum: ${statistics.activities.filter((a) => a.underMinimum).length}`,
);
if (check.over) process.exit(1);
