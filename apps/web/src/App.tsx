import { lazy, Suspense, type ReactNode } from 'react';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { idParam } from './lib/queries.ts';
import { isAdmin, isStudent, isTeacher, useLogOut, useUser, type User } from './session.ts';
import { UnreadLink } from './notifications/UnreadLink.tsx';
import { CataloguePage } from './pages/CataloguePage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { NotOpenPage } from './pages/NotOpenPage.tsx';
import { PageAnnouncer } from './ui/focus.tsx';
import { SessionEnded } from './ui/states.tsx';

// The catalogue is the first screen of most visits; everything else loads when it is opened.
const ActivityPage = lazy(() => import('./pages/ActivityPage.tsx'));
const ActivityFormPage = lazy(() => import('./pages/ActivityFormPage.tsx'));
const BulkPage = lazy(() => import('./activities/bulk/BulkPage.tsx'));
// Teachers' workspace is a separate chunk: students and visitors never download it.
const ManagePage = lazy(() => import('./activities/teacher-tools/ManagePage.tsx'));
const NewsPage = lazy(() => import('./pages/NewsPage.tsx'));
const CommitteesPage = lazy(() => import('./pages/CommitteesPage.tsx'));
const LogInPage = lazy(() => import('./pages/LogInPage.tsx'));
const RegisterPage = lazy(() => import('./pages/RegisterPage.tsx'));
const ForgotPasswordPage = lazy(() => import('./pages/ForgotPasswordPage.tsx'));
const ResetPasswordPage = lazy(() => import('./pages/ResetPasswordPage.tsx'));
const MyPage = lazy(() => import('./pages/MyPage.tsx'));
const PaymentsPage = lazy(() => import('./pages/PaymentsPage.tsx'));
const DashboardPage = lazy(() => import('./pages/DashboardPage.tsx'));
const PeoplePage = lazy(() => import('./pages/PeoplePage.tsx'));
const MeetingsPage = lazy(() => import('./pages/MeetingsPage.tsx'));
const RollCallPage = lazy(() => import('./pages/RollCallPage.tsx'));
const CheckInPage = lazy(() => import('./pages/CheckInPage.tsx'));
const AttendancePage = lazy(() => import('./pages/AttendancePage.tsx'));
const RoundsPage = lazy(() => import('./rounds/RoundsPage.tsx'));
const MyRoundsPage = lazy(() => import('./rounds/MyRoundsPage.tsx'));
const ReportsPage = lazy(() => import('./pages/ReportsPage.tsx'));
const NotificationsPage = lazy(() => import('./pages/NotificationsPage.tsx'));
const NotificationSettingsPage = lazy(() => import('./pages/NotificationSettingsPage.tsx'));
const FailedEmailsPage = lazy(() => import('./pages/FailedEmailsPage.tsx'));

export function App() {
  const user = useUser();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div>
          <Link href="/" className="brand">
            Mergington High School
          </Link>
          <p>Extracurricular activities</p>
        </div>
        <Navigation user={user} />
      </header>
      <PageAnnouncer />
      <main id="main" tabIndex={-1}>
        <SessionEnded />
        <Suspense
          fallback={
            <p className="muted" role="status">
              Loading…
            </p>
          }
        >
          <Switch>
            <Route path="/" component={CataloguePage} />
            <Route path="/activities/new">
              <Only allowed={isTeacher(user)} user={user}>
                <ActivityFormPage />
              </Only>
            </Route>
            <Route path="/activities/:id/edit">
              {({ id }) => (
                <Only allowed={isTeacher(user)} user={user}>
                  <ActivityFormPage id={Number(id)} />
                </Only>
              )}
            </Route>
            <Route path="/activities/:id/meetings">
              {({ id }) => (
                <Only allowed={isTeacher(user)} user={user}>
                  <MeetingsPage activityId={Number(id)} />
                </Only>
              )}
            </Route>
            <Route path="/activities/:id/roll-call">
              {({ id }) => (
                <Only allowed={isTeacher(user)} user={user}>
                  <RollCallPage activityId={Number(id)} />
                </Only>
              )}
            </Route>
            <Route path="/activities/:id/bulk">
              {({ id }) => (
                <Only allowed={isTeacher(user)} user={user}>
                  <BulkPage id={Number(id)} />
                </Only>
              )}
            </Route>
            <Route path="/activities/:id/manage/:section?">
              {({ id, section }) => (
                <Only allowed={isTeacher(user)} user={user}>
                  <ManagePage id={Number(id)} section={section} />
                </Only>
              )}
            </Route>
            <Route path="/activities/:id">{({ id }) => <ActivityPage id={Number(id)} />}</Route>
            <Route path="/news" component={NewsPage} />
            <Route path="/committees" component={CommitteesPage} />
            <Route path="/login" component={LogInPage} />
            <Route path="/register" component={RegisterPage} />
            <Route path="/forgot-password" component={ForgotPasswordPage} />
            <Route path="/reset-password" component={ResetPasswordPage} />
            <Route path="/me">
              <Only allowed={!!user} user={user}>
                <MyPage />
              </Only>
            </Route>
            <Route path="/check-in">
              <Only allowed={isStudent(user)} user={user}>
                <CheckInPage />
              </Only>
            </Route>
            <Route path="/check-in/:meetingId">
              {({ meetingId }) => (
                <Only allowed={isStudent(user)} user={user}>
                  <CheckInPage meetingId={idParam(meetingId)} />
                </Only>
              )}
            </Route>
            <Route path="/attendance">
              <Only allowed={isTeacher(user)} user={user}>
                <AttendancePage />
              </Only>
            </Route>
            <Route path="/payments">
              <Only allowed={isTeacher(user)} user={user}>
                <PaymentsPage />
              </Only>
            </Route>
            <Route path="/reports">
              <Only allowed={isTeacher(user)} user={user}>
                <ReportsPage />
              </Only>
            </Route>
            <Route path="/admin">
              <Only allowed={isAdmin(user)} user={user}>
                <DashboardPage />
              </Only>
            </Route>
            <Route path="/admin/people">
              <Only allowed={isAdmin(user)} user={user}>
                <PeoplePage />
              </Only>
            </Route>
            <Route path="/admin/rounds">
              <Only allowed={isAdmin(user)} user={user}>
                <RoundsPage />
              </Only>
            </Route>
            <Route path="/rounds">
              <Only allowed={isStudent(user)} user={user}>
                <MyRoundsPage />
              </Only>
            </Route>
            <Route path="/admin/emails">
              <Only allowed={isAdmin(user)} user={user}>
                <FailedEmailsPage />
              </Only>
            </Route>
            <Route path="/notifications">
              <Only allowed={isStudent(user)} user={user}>
                <NotificationsPage />
              </Only>
            </Route>
            <Route path="/notifications/settings">
              <Only allowed={isStudent(user)} user={user}>
                <NotificationSettingsPage />
              </Only>
            </Route>
            <Route component={NotFoundPage} />
          </Switch>
        </Suspense>
      </main>
    </>
  );
}

function Navigation({ user }: { user: User | null | undefined }) {
  const [location, navigate] = useLocation();
  const logOut = useLogOut();
  const link = (href: string, label: string) => (
    <Link href={href} aria-current={location === href ? 'page' : undefined}>
      {label}
    </Link>
  );
  return (
    <nav aria-label="Main">
      {link('/', 'Activities')}
      {link('/news', 'News')}
      {link('/committees', 'Committees')}
      {isStudent(user) && link('/check-in', 'Check in')}
      {isTeacher(user) && link('/attendance', 'Attendance')}
      {isTeacher(user) && link('/payments', 'Payments')}
      {isTeacher(user) && link('/reports', 'Reports')}
      {isAdmin(user) && link('/admin', 'Dashboard')}
      {isAdmin(user) && link('/admin/people', 'People')}
      {isAdmin(user) && link('/admin/rounds', 'Rounds')}
      {isStudent(user) && link('/rounds', 'Signup rounds')}
      {isAdmin(user) && link('/admin/emails', 'Failed emails')}
      {/* A temporary password (an admin's reset) opens nothing but changing it: no count to ask for. */}
      {isStudent(user) && !user.mustChangePassword && <UnreadLink current={location === '/notifications'} />}
      {user ? (
        <>
          {link('/me', isStudent(user) ? 'My activities' : 'My account')}
          <button
            type="button"
            className="link-button"
            onClick={() => logOut.mutate(undefined, { onSettled: () => navigate('/') })}
          >
            Log out {user.name}
          </button>
        </>
      ) : (
        user === null && (
          <>
            {link('/login', 'Log in')}
            {link('/register', 'Register')}
          </>
        )
      )}
    </nav>
  );
}

/** A screen for some users only: the others are sent to log in, or told they may not. */
function Only({
  allowed,
  user,
  children,
}: {
  allowed: boolean;
  user: User | null | undefined;
  children: ReactNode;
}) {
  if (user === undefined) return null;
  // The query string comes along: a check-in link's code survives logging in first.
  if (!user)
    return <Redirect to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} />;
  if (!allowed) return <NotOpenPage user={user} />;
  return <>{children}</>;
}
