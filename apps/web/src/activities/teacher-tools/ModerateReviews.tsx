import { useMutation, useQuery } from '@tanstack/react-query';
import { useInvalidate } from '../../lib/queries.ts';
import type { RouterOutputs } from '../../lib/shared.ts';
import { useTRPC } from '../../trpc.ts';
import { ActionButton } from '../../ui/buttons.tsx';
import { ReviewText } from '../../ui/ReviewText.tsx';
import { ErrorText, QueryView } from '../../ui/states.tsx';

type Activity = RouterOutputs['activities']['get'];

/** Every review of the activity, hidden ones too: hide or show each. */
export function ModerateReviews({ activity }: { activity: Activity }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const reviews = useQuery(trpc.feedback.list.queryOptions({ activityId: activity.id, pageSize: 100 }));
  const setHidden = useMutation(
    trpc.feedback.setHidden.mutationOptions({ onSettled: () => invalidate(trpc.feedback, trpc.activities) }),
  );
  return (
    <section aria-labelledby="moderation-heading">
      <h2 id="moderation-heading">Feedback</h2>
      <p className="muted">
        Every review, hidden ones too: a hidden review is not shown on the activity's page.
      </p>
      <QueryView
        query={reviews}
        what="reviews"
        isEmpty={(page) => page.items.length === 0}
        empty="No reviews yet."
      >
        {(page) => (
          <ul className="list">
            {page.items.map((review) => (
              <li key={review.id} className="card">
                <ReviewText review={review}>
                  {' '}
                  {review.hidden && <span className="tag">Hidden</span>}
                </ReviewText>
                <ActionButton
                  label={review.hidden ? 'Show' : 'Hide'}
                  target={`the review by ${review.student.name}`}
                  disabled={setHidden.isPending}
                  onClick={() => setHidden.mutate({ id: review.id, hidden: !review.hidden })}
                />
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      <ErrorText error={setHidden.error} />
    </section>
  );
}
