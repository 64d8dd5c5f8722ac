import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { seatsText } from '../activities/ActivityCard.tsx';
import { SignupControl } from '../activities/signup.tsx';
import { useInvalidate } from '../lib/queries.ts';
import { formatCents, formatDateTime, formatRating, labelOf, ordinal } from '../lib/format.ts';
import {
  activityFeedPath,
  feedbackSubmitInput,
  groupCreateInput,
  type RouterOutputs,
  scheduleText,
} from '../lib/shared.ts';
import { isStudent, isTeacher, useUser } from '../session.ts';
import { useTRPC } from '../trpc.ts';
import { ReviewText } from '../ui/ReviewText.tsx';
import { thenReset, FormFooter, number, text, TextAreaField, TextField, useZodForm } from '../ui/form.tsx';
import { ErrorText, Notice, QueryView } from '../ui/states.tsx';
import { PageHeading } from '../ui/focus.tsx';

type Activity = RouterOutputs['activities']['get'];

/** An activity's public page; teachers find their workspace for it behind Manage, at the top. */
export default function ActivityPage({ id }: { id: number }) {
  const trpc = useTRPC();
  const activity = useQuery(trpc.activities.get.queryOptions({ id }));
  return (
    <QueryView query={activity} what="the activity">
      {(activity) => (
        <article className="activity-page">
          <ActivityHeader activity={activity} />
          <Events activityId={id} />
          <Groups activity={activity} />
          <ActivityNews activityId={id} />
          <Feedback activity={activity} />
        </article>
      )}
    </QueryView>
  );
}

function ActivityHeader({ activity }: { activity: Activity }) {
  const user = useUser();
  const rating = formatRating(activity.averageRating, activity.ratingCount);
  return (
    <header className="card">
      <p>
        <Link href="/">← All activities</Link>
      </p>
      <PageHeading>{activity.name}</PageHeading>
      {isTeacher(user) && (
        <p>
          <Link href={`/activities/${activity.id}/manage`} className="button">
            Manage<span className="visually-hidden"> {activity.name}</span>
          </Link>
        </p>
      )}
      {activity.category && <span className="tag">{activity.category}</span>}
      <p>{activity.description}</p>
      <dl className="facts">
        <dt>Schedule</dt>
        <dd>
          {scheduleText(activity) || 'To be announced'}{' '}
          <a href={activityFeedPath(activity.id)}>
            Calendar feed<span className="visually-hidden"> of {activity.name}</span>
          </a>
        </dd>
        <dt>Seats</dt>
        <dd data-testid="seats">{seatsText(activity)}</dd>
        {activity.allowedGrades && (
          <>
            <dt>Grades</dt>
            <dd>{activity.allowedGrades.join(', ')}</dd>
          </>
        )}
        <dt>Rating</dt>
        <dd>{rating ?? 'No ratings yet'}</dd>
      </dl>
      <SignupControl activity={activity} />
    </header>
  );
}

function Events({ activityId }: { activityId: number }) {
  const trpc = useTRPC();
  const events = useQuery(trpc.events.list.queryOptions({ activityId, pageSize: 100 }));
  return (
    <section aria-labelledby="events-heading">
      <h2 id="events-heading">Events</h2>
      <QueryView query={events} what="events" isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <ul className="list">
            {page.items.map((event) => (
              <li key={event.id} className="card">
                <h3>{event.name}</h3>
                <p className="muted">
                  {formatDateTime(event.date)}
                  {event.venue && ` · ${event.venue}`}
                  {event.past && ' · past'}
                </p>
                {event.description && <p>{event.description}</p>}
                {event.prizes.length > 0 && (
                  <>
                    <h4>Prizes</h4>
                    <ol>
                      {event.prizes.map((prize) => (
                        <li key={prize.place} value={prize.place}>
                          {prize.description}
                          {prize.amountCents !== undefined && ` (${formatCents(prize.amountCents)})`}
                        </li>
                      ))}
                    </ol>
                  </>
                )}
                {event.judges.length > 0 && (
                  <p>Judges: {event.judges.map((judge) => judge.name).join(', ')}</p>
                )}
                {event.results.length > 0 && (
                  <p>
                    Results:{' '}
                    {resultPlaces(event)
                      .map(({ place, winner }) => `${ordinal(place)} ${winner ?? 'no winner'}`)
                      .join(', ')}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

/** Each place with a prize or a winner, in order: a prize place nobody won says so. */
function resultPlaces(event: { prizes: { place: number }[]; results: { place: number; winner: string }[] }) {
  const places = new Set([...event.prizes, ...event.results].map((entry) => entry.place));
  return [...places]
    .sort((a, b) => a - b)
    .map((place) => ({ place, winner: event.results.find((result) => result.place === place)?.winner }));
}

function Groups({ activity }: { activity: Activity }) {
  const trpc = useTRPC();
  const user = useUser();
  const invalidate = useInvalidate();
  const groups = useQuery(trpc.groups.list.queryOptions({ activityId: activity.id, pageSize: 100 }));
  const enrolled = activity.myStanding?.status === 'enrolled';
  const groupsChanged = () => invalidate(trpc.groups);
  const join = useMutation(trpc.groups.join.mutationOptions({ onSettled: groupsChanged }));
  const leave = useMutation(trpc.groups.leave.mutationOptions({ onSettled: groupsChanged }));
  const create = useMutation(trpc.groups.create.mutationOptions({ onSettled: groupsChanged }));
  const form = useZodForm(
    groupCreateInput,
    thenReset(create.mutateAsync),
    (group) => `Group ${group.name} created: you are its leader.`,
  );
  const myId = isStudent(user) ? user!.id : null;
  // A visitor's answer names no student ids; a signed-in student's does.
  const myGroup = groups.data?.items.find((group) =>
    group.members.some((m) => 'studentId' in m && m.studentId === myId),
  );
  const sizes =
    activity.minGroupSize || activity.maxGroupSize
      ? `Groups of ${activity.minGroupSize ?? 1} to ${activity.maxGroupSize ?? 'any number of'} students.`
      : null;

  return (
    <section aria-labelledby="groups-heading">
      <h2 id="groups-heading">Groups</h2>
      {sizes && <p className="muted">{sizes}</p>}
      <QueryView query={groups} what="groups" isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <ul className="list">
            {page.items.map((group) => (
              <li key={group.id} className="card">
                <h3>{group.name}</h3>
                <p className="muted">
                  {group.size} {group.size === 1 ? 'member' : 'members'}
                  {!group.meetsMinimum && ' · below the minimum size'}
                </p>
                <p>
                  {group.members
                    .map((member) => (member.role === 'leader' ? `${member.name} (leader)` : member.name))
                    .join(', ')}
                </p>
                {enrolled && myGroup?.id === group.id && (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => leave.mutate({ groupId: group.id })}
                  >
                    Leave {group.name}
                  </button>
                )}
                {enrolled && !myGroup && (
                  <button type="button" onClick={() => join.mutate({ groupId: group.id })}>
                    Join {group.name}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      <ErrorText error={join.error ?? leave.error} />
      {enrolled && !myGroup && (
        <form
          className="inline-form"
          noValidate
          onSubmit={form.onSubmit((data) => ({ activityId: activity.id, name: text(data, 'name') ?? '' }))}
        >
          <TextField form={form} name="name" label="New group's name" required />
          <FormFooter form={form} label="Create group" />
        </form>
      )}
    </section>
  );
}

function ActivityNews({ activityId }: { activityId: number }) {
  const trpc = useTRPC();
  const news = useQuery(trpc.news.list.queryOptions({ activityId, pageSize: 20 }));
  return (
    <section aria-labelledby="news-heading">
      <h2 id="news-heading">News</h2>
      <QueryView query={news} what="news" isEmpty={(page) => page.items.length === 0} empty="No news yet.">
        {(page) => (
          <ul className="list">
            {page.items.map((item) => (
              <li key={item.id} className="card">
                <h3>
                  {item.pinned && <span className="tag">Pinned</span>} {item.title}
                </h3>
                <p className="muted">
                  {labelOf(item.category)} · {formatDateTime(item.createdAt)}
                </p>
                <p className="pre-line">{item.content}</p>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

function Feedback({ activity }: { activity: Activity }) {
  const trpc = useTRPC();
  const user = useUser();
  const reviews = useQuery(trpc.feedback.forActivity.queryOptions({ activityId: activity.id, pageSize: 50 }));
  const enrolled = activity.myStanding?.status === 'enrolled';
  return (
    <section aria-labelledby="feedback-heading">
      <h2 id="feedback-heading">Feedback</h2>
      <QueryView
        query={reviews}
        what="feedback"
        isEmpty={(page) => page.items.length === 0}
        empty="No reviews yet."
      >
        {(page) => (
          <ul className="list">
            {page.items.map((review) => (
              <li key={review.id} className="card">
                <ReviewText review={review} />
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      {isStudent(user) && enrolled && <FeedbackForm activityId={activity.id} />}
    </section>
  );
}

function FeedbackForm({ activityId }: { activityId: number }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const mine = useQuery(trpc.feedback.mine.queryOptions()).data?.find((f) => f.activity.id === activityId);
  const submit = useMutation(
    trpc.feedback.submit.mutationOptions({
      // The activity's average rating changes with the review.
      onSettled: () => invalidate(trpc.feedback, trpc.activities),
    }),
  );
  const form = useZodForm(feedbackSubmitInput, (input) => submit.mutateAsync(input));
  return (
    <form
      key={mine?.id ?? 'new'}
      noValidate
      className="card"
      onSubmit={form.onSubmit((data) => ({
        activityId,
        rating: number(data, 'rating'),
        review: text(data, 'review') ?? '',
      }))}
    >
      <h3>{mine ? 'Your review' : 'Rate this activity'}</h3>
      <fieldset className="field stars" aria-describedby={form.errors.rating ? 'rating-error' : undefined}>
        <legend>Stars</legend>
        {[1, 2, 3, 4, 5].map((stars) => (
          <label key={stars} className="checkbox">
            <input type="radio" name="rating" value={stars} defaultChecked={mine?.rating === stars} />
            {stars} {stars === 1 ? 'star' : 'stars'}
          </label>
        ))}
        {form.errors.rating && (
          <small id="rating-error" className="field-error">
            Choose 1 to 5 stars.
          </small>
        )}
      </fieldset>
      <TextAreaField
        form={form}
        name="review"
        label="Review (optional)"
        defaultValue={mine?.review}
        maxLength={2000}
      />
      {submit.isSuccess && <Notice key={submit.submittedAt}>Thank you: your review is saved.</Notice>}
      <FormFooter form={form} label={mine ? 'Update review' : 'Submit review'} />
    </form>
  );
}
