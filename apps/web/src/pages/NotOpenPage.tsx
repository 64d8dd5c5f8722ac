import { Link, useLocation } from 'wouter';
import type { User } from '../session.ts';
import { PageHeading } from '../ui/focus.tsx';

/** A screen for other accounts (a student opening Payments): who they are, and where to go instead. */
export function NotOpenPage({ user }: { user: User }) {
  const [path] = useLocation();
  const who = user.kind === 'student' ? 'a student' : user.role === 'admin' ? 'an admin' : 'a teacher';
  return (
    <div className="narrow">
      <PageHeading>Not open to your account</PageHeading>
      <p>
        You are signed in as {user.name}, {who}: this page is for other accounts.
      </p>
      <ul>
        <li>
          <Link href="/">Back to the activities</Link>
        </li>
        <li>
          <Link href={`/login?next=${encodeURIComponent(path)}`}>Log in with another account</Link>
        </li>
      </ul>
    </div>
  );
}
