import type { Site } from './harness.ts';

/** A large school's catalogue: the sample data's 12 activities and generated clubs, 500 in all. */
export const LARGE_CATALOGUE = 500;
const SAMPLE_ACTIVITIES = 12;
const ADDED = LARGE_CATALOGUE - SAMPLE_ACTIVITIES;
/** The generated clubs in category Music (n % 5 = 4 for n in 1..ADDED); the sample data has none. */
export const MUSIC_CLUBS = Math.floor((ADDED + 1) / 5);

/** Adds the generated clubs to the site's database, in five categories. */
export async function fillCatalogue(site: Site) {
  await site.orm.em.getConnection().execute(
    `insert into activity (name, description, schedule, schedule_days, start_time, end_time, category, max_participants)
     select format('Club %s', lpad(n::text, 3, '0')), repeat('Meet, learn and play together. ', 4),
            'Mondays, 3:30 PM - 5:00 PM', array['monday'], '15:30', '17:00',
            (array['Arts', 'Sports', 'Academic', 'Technology', 'Music'])[n % 5 + 1], 20 + n % 10
       from generate_series(1, ${ADDED}) as n`,
  );
}
