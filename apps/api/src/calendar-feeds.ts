// The calendar feeds (iCalendar), served as plain HTTP GETs outside tRPC: calendar apps subscribe to a URL
// and poll it, with no session and no JSON. `/calendar/activities/<id>.ics` is an activity's public feed;
// `/calendar/students/<token>.ics` a student's own, found by its secret token (packages/db's feeds.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { activityFeed, type MikroORM, NotFoundError, studentFeed } from '@mergington/db';

const ACTIVITY_FEED = /^\/calendar\/activities\/([1-9]\d{0,9})\.ics$/;
const STUDENT_FEED = /^\/calendar\/students\/([\w-]{43})\.ics$/;

/**
 * Answers a request for a feed and returns true; any other path returns false and is left to the caller.
 * An unknown activity or token is a 404 (a regenerated or revoked feed's old URL among them).
 */
export function createCalendarFeeds(
  orm: MikroORM,
  logger: Logger,
): (req: IncomingMessage, res: ServerResponse, path: string) => boolean {
  return (req, res, path) => {
    if (!path.startsWith('/calendar/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Calendar feeds are read with GET.\n');
      return true;
    }
    const activity = ACTIVITY_FEED.exec(path);
    const student = STUDENT_FEED.exec(path);
    const feed = activity
      ? activityFeed(orm.em.fork(), Number(activity[1])).then((ics) => ({ ics, secret: false }))
      : student
        ? studentFeed(orm.em.fork(), student[1]!).then((ics) => ics && { ics, secret: true })
        : Promise.resolve(null);
    feed
      .then((found) => {
        if (!found) return notFound(res);
        res.writeHead(200, {
          'content-type': 'text/calendar; charset=utf-8',
          // A personal feed's URL is its key: no shared cache keeps it. Calendar apps poll every few hours.
          'cache-control': found.secret ? 'private, no-store' : 'public, max-age=300',
        });
        res.end(req.method === 'HEAD' ? undefined : found.ics);
      })
      .catch((error: unknown) => {
        if (error instanceof NotFoundError) return notFound(res);
        logger.error({ err: error, path: activity ? path : '/calendar/students/…' }, 'calendar feed failed');
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('The calendar could not be made; try again later.\n');
      });
    return true;
  };
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('No such calendar: it was never made, or it was replaced or turned off.\n');
}
