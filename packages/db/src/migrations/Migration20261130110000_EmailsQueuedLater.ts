import { Migration } from '@mikro-orm/migrations';

/**
 * A notification whose email job is not queued yet (the signup statement writes its notice without a
 * transaction around it, so it cannot call the queue): the queue runners queue those (queueWaitingEmails).
 * Every notification written before was queued in its own transaction.
 */
export class Migration20261130110000_EmailsQueuedLater extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "notification" add column "email_queued" boolean not null default true;`);
    this.addSql(`create index "notification_email_waiting_index" on "notification" ("email_queued", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "notification_email_waiting_index";`);
    this.addSql(`alter table "notification" drop column "email_queued";`);
  }
}
