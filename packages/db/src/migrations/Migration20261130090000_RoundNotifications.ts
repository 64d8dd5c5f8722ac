import { Migration } from '@mikro-orm/migrations';

const BEFORE = `'signup_confirmed', 'signup_waitlisted', 'promoted', 'added_by_teacher', 'removed_by_teacher', 'payment_recorded', 'payment_due_soon', 'payment_overdue', 'event_results', 'news_posted', 'meeting_cancelled', 'meeting_moved', 'meeting_restored'`;
const AFTER = `${BEFORE}, 'round_opening', 'round_closed', 'round_results'`;

/** The signup rounds' kinds of notification: a round opens tomorrow, closed, its lottery's results. */
export class Migration20261130090000_RoundNotifications extends Migration {
  override async up(): Promise<void> {
    this.kinds(AFTER);
  }

  override async down(): Promise<void> {
    this.addSql(
      `delete from "notification" where "kind" in ('round_opening', 'round_closed', 'round_results');`,
    );
    this.addSql(
      `delete from "notification_preference" where "kind" in ('round_opening', 'round_closed', 'round_results');`,
    );
    this.kinds(BEFORE);
  }

  private kinds(list: string): void {
    for (const table of ['notification', 'notification_preference']) {
      this.addSql(`alter table "${table}" drop constraint if exists "${table}_kind_check";`);
      this.addSql(`alter table "${table}" add constraint "${table}_kind_check" check("kind" in (${list}));`);
    }
  }
}
