// What each kind of notification says: the one template per kind that the app's list and both bodies of
// its email are made from.
import type { NotificationKind, NotificationPayload } from '@mergington/contract';

export interface Message {
  title: string;
  body: string;
  /** The web app's path of the thing it is about. */
  link: string;
}

const money = (cents = 0) => `$${(cents / 100).toFixed(2)}`;
/** "Chess", "Chess and Drama", "Chess, Drama and Band". */
const names = (list: readonly string[]) =>
  list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list.at(-1)}` : (list[0] ?? '');

export function describe(kind: NotificationKind, payload: NotificationPayload): Message {
  const activity = payload.activityName ?? 'an activity';
  const activityLink = payload.activityId ? `/activities/${payload.activityId}` : '/activities';
  const round = payload.roundName ?? 'A signup round';
  const roundWhen = payload.roundWhen ?? 'its time';
  const payment = `${money(payload.amountCents)}${payload.description ? ` (${payload.description})` : ''}`;
  switch (kind) {
    case 'signup_confirmed':
      return {
        title: `You are in ${activity}`,
        body: `Your signup for ${activity} is confirmed.`,
        link: activityLink,
      };
    case 'signup_waitlisted':
      return {
        title: `Waitlisted for ${activity}`,
        body: `${activity} is full: you are number ${payload.waitlistPosition ?? '?'} on its waitlist. We will tell you when a seat is yours.`,
        link: activityLink,
      };
    case 'promoted':
      return {
        title: `A seat in ${activity} is yours`,
        body: `A seat in ${activity} came free and you were first on the waitlist: you are now enrolled.`,
        link: activityLink,
      };
    case 'added_by_teacher':
      return {
        title: `Added to ${activity}`,
        body:
          payload.waitlistPosition === undefined
            ? `A teacher signed you up for ${activity}: you are enrolled.`
            : `A teacher signed you up for ${activity}: it is full, so you are number ${payload.waitlistPosition} on its waitlist.`,
        link: activityLink,
      };
    case 'removed_by_teacher':
      return {
        title: `Removed from ${activity}`,
        body: `A teacher removed you from ${activity}. Ask them if you think this is a mistake.`,
        link: activityLink,
      };
    case 'payment_recorded':
      return {
        title: `Payment received: ${money(payload.amountCents)}`,
        body: `We recorded your payment of ${payment} for ${activity}. Thank you.`,
        link: '/payments',
      };
    case 'payment_due_soon':
      return {
        title: `Payment due ${payload.dueDate ?? 'soon'}: ${money(payload.amountCents)}`,
        body: `Your payment of ${payment} for ${activity} is due on ${payload.dueDate ?? 'its due date'}.`,
        link: '/payments',
      };
    case 'payment_overdue':
      return {
        title: `Payment overdue: ${money(payload.amountCents)}`,
        body: `Your payment of ${payment} for ${activity} was due on ${payload.dueDate ?? 'its due date'} and is overdue.`,
        link: '/payments',
      };
    case 'event_results':
      return {
        title: `Results of ${payload.eventName ?? 'an event'}`,
        body: `The results of ${payload.eventName ?? 'an event'} (${activity}) are out.`,
        link: activityLink,
      };
    case 'meeting_cancelled':
      return {
        title: `${activity}: ${payload.meetingWhen ?? 'a meeting'} is cancelled`,
        body: `The meeting of ${activity} on ${payload.meetingWhen ?? 'its day'} is cancelled.`,
        link: activityLink,
      };
    case 'meeting_moved':
      return {
        title: `${activity}: a meeting moved to ${payload.newWhen ?? 'another time'}`,
        body: `The meeting of ${activity} on ${payload.meetingWhen ?? 'its day'} now takes place on ${payload.newWhen ?? 'another day'}.`,
        link: activityLink,
      };
    case 'meeting_restored':
      return {
        title: `${activity}: ${payload.meetingWhen ?? 'a meeting'} is back on`,
        body: `The meeting of ${activity} on ${payload.meetingWhen ?? 'its day'} is no longer cancelled: it takes place as planned.`,
        link: activityLink,
      };
    case 'news_posted':
      return {
        title: `News in ${activity}: ${payload.title ?? ''}`.trim(),
        body: `${payload.title ?? 'A news item'} was posted in ${activity}.`,
        link: '/news',
      };
    case 'round_opening':
      return {
        title: `${round} opens on ${roundWhen}`,
        body:
          payload.roundMode === 'lottery'
            ? `${round} opens on ${roundWhen}: rank the activities you want before it closes (when you rank makes no difference).`
            : `${round} opens on ${roundWhen}: sign up for its activities from then on.`,
        link: '/rounds',
      };
    case 'round_closed':
      return {
        title: `${round} is closed`,
        body:
          payload.roundMode === 'lottery'
            ? `${round} closed on ${roundWhen}: your ranking is final, and you will be told your results when they are published.`
            : `${round} closed on ${roundWhen}: see your activities and places in line on your rounds page.`,
        link: '/rounds',
      };
    case 'round_results': {
      const places = payload.places ?? [];
      const waitlists = payload.waitlists ?? [];
      const waiting = waitlists.length ? ` You are on the waitlist of ${names(waitlists)}.` : '';
      const cancelled = payload.cancelledActivity;
      const news = cancelled
        ? `${cancelled} was cancelled, and your next choices were tried`
        : `The results of ${round} are out`;
      return places.length
        ? {
            title: cancelled
              ? `${cancelled} is cancelled: you have a place in ${names(places)}`
              : `${round}: you have a place in ${names(places)}`,
            body: `${news}: you have a place in ${names(places)}.${waiting}`,
            link: '/rounds',
          }
        : {
            title: cancelled ? `${cancelled} is cancelled` : `${round}: no place was available`,
            body: `${news}: none of your choices had a place for you.${waiting}`,
            link: '/rounds',
          };
    }
  }
}
