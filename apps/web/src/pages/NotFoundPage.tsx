import { Link, useLocation } from 'wouter';
import { PageHeading } from '../ui/focus.tsx';

/** Any address the app does not know: say so, and offer the way back. */
export function NotFoundPage() {
  const [path] = useLocation();
  return (
    <div className="narrow">
      <PageHeading>Page not found</PageHeading>
      <p>
        There is no page at <code>{path}</code>. The link may be old, or the address mistyped.
      </p>
      <p>
        <Link href="/">Back to the activities</Link>
      </p>
    </div>
  );
}
