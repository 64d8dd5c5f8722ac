import type { ReactNode } from 'react';
import { Stars } from './Stars.tsx';

/**
 * A review inside its card: the stars and who gave them (then `children`, such as a "Hidden" tag), and the
 * text when there is one. Shared by the activity page's feedback and the teachers' moderation list.
 */
export function ReviewText({
  review,
  children,
}: {
  review: { rating: number; review: string; student: { name: string } };
  children?: ReactNode;
}) {
  return (
    <>
      <p>
        <Stars rating={review.rating} /> {review.student.name}
        {children}
      </p>
      {review.review && <p>{review.review}</p>}
    </>
  );
}
