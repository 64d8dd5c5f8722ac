// A notification's email: both bodies from the kind's one template (describeNotification), the school's
// name, a link to the thing, and List-Unsubscribe for the kinds one can turn off.
import { describeNotification, type EmailToSend } from '@mergington/db';
import type { EmailSettings } from './settings.ts';

export interface Email {
  from: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** The idempotency key a receiving side can see: the same notification always has the same Message-ID. */
  messageId: string;
  headers: Record<string, string>;
}

/** The path of the web app's notification settings (the preferences screen). */
export const PREFERENCES_PATH = '/notifications/settings';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The domain of MAIL_FROM's address, for Message-IDs. */
export function mailDomain(from: string): string {
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
  return address.slice(address.lastIndexOf('@') + 1) || 'localhost';
}

/**
 * The Message-ID of a notification's email: its id and creation time (so a restored or recreated
 * database's notification 1 is not taken for another's).
 */
export const messageIdOf = (notification: Pick<EmailToSend, 'id' | 'createdAt'>, from: string) =>
  `<notification-${notification.id}.${notification.createdAt.getTime()}@${mailDomain(from)}>`;

export function composeEmail(notification: EmailToSend, settings: EmailSettings): Email {
  const message = describeNotification(notification.kind, notification.payload);
  const link = new URL(message.link, settings.PUBLIC_URL).href;
  const preferences = new URL(PREFERENCES_PATH, settings.PUBLIC_URL).href;
  const school = settings.SCHOOL_NAME;
  const footer = notification.optional
    ? `You get this email because it is on in your notification settings: ${preferences}`
    : `This email is always sent to students it concerns.`;
  const text = [
    `Hello ${notification.to.name},`,
    '',
    message.body,
    '',
    `Open it: ${link}`,
    '',
    `-- ${school}`,
    footer,
  ].join('\n');
  const html = `<!doctype html>
<html><body style="font-family: sans-serif">
<p>Hello ${escapeHtml(notification.to.name)},</p>
<p>${escapeHtml(message.body)}</p>
<p><a href="${escapeHtml(link)}">Open it in ${escapeHtml(school)}'s activities</a></p>
<hr>
<p style="color: #555; font-size: small">${escapeHtml(school)}. ${
    notification.optional
      ? `You get this email because it is on in your <a href="${escapeHtml(preferences)}">notification settings</a>.`
      : 'This email is always sent to students it concerns.'
  }</p>
</body></html>`;
  return {
    from: settings.MAIL_FROM,
    to: { name: notification.to.name, address: notification.to.email },
    subject: `${school}: ${message.title}`,
    text,
    html,
    messageId: messageIdOf(notification, settings.MAIL_FROM),
    headers: notification.optional ? { 'List-Unsubscribe': `<${preferences}>` } : {},
  };
}

/** The web app's screen a reset link opens (apps/web: the reset screen reads `token` from the query). */
export const RESET_PASSWORD_PATH = '/reset-password';

export interface PasswordResetEmail {
  resetId: number;
  token: string;
  to: { name: string; email: string };
  expiresAt: Date;
}

/** A "forgot your password?" link: always sent (it was asked for), never a List-Unsubscribe. */
export function composePasswordResetEmail(reset: PasswordResetEmail, settings: EmailSettings): Email {
  const link = new URL(`${RESET_PASSWORD_PATH}?token=${encodeURIComponent(reset.token)}`, settings.PUBLIC_URL)
    .href;
  const school = settings.SCHOOL_NAME;
  const intro = `Someone (we hope you) asked to reset the password of your account at ${school}'s activities.`;
  const expiry = 'The link works once, for one hour.';
  const ignore = 'If you did not ask, ignore this email: your password stays as it is.';
  const text = [
    `Hello ${reset.to.name},`,
    '',
    intro,
    '',
    `Choose a new password: ${link}`,
    '',
    expiry,
    ignore,
    '',
    `-- ${school}`,
  ].join('\n');
  const html = `<!doctype html>
<html><body style="font-family: sans-serif">
<p>Hello ${escapeHtml(reset.to.name)},</p>
<p>${escapeHtml(intro)}</p>
<p><a href="${escapeHtml(link)}">Choose a new password</a></p>
<p>${escapeHtml(expiry)} ${escapeHtml(ignore)}</p>
<hr>
<p style="color: #555; font-size: small">${escapeHtml(school)}</p>
</body></html>`;
  return {
    from: settings.MAIL_FROM,
    to: { name: reset.to.name, address: reset.to.email },
    subject: `${school}: reset your password`,
    text,
    html,
    messageId: `<password-reset-${reset.resetId}.${reset.expiresAt.getTime()}@${mailDomain(settings.MAIL_FROM)}>`,
    headers: {},
  };
}
