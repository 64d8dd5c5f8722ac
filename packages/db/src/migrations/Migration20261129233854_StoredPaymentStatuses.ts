import { Migration } from '@mikro-orm/migrations';

export class Migration20261129233854_StoredPaymentStatuses extends Migration {
  override async up(): Promise<void> {
    // Overdue is derived (pending past its due date), never stored: a stored one becomes pending again,
    // which the reads still show as overdue while its due date is past.
    this.addSql(`update "payment" set "status" = 'pending' where "status" = 'overdue';`);
    this.addSql(`alter table "payment" drop constraint if exists "payment_status_check";`);
    this.addSql(
      `alter table "payment" add constraint "payment_status_check" check("status" in ('pending', 'paid', 'refunded', 'waived'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "payment" drop constraint if exists "payment_status_check";`);
    this.addSql(
      `alter table "payment" add constraint "payment_status_check" check("status" in ('pending', 'paid', 'overdue', 'refunded', 'waived'));`,
    );
  }
}
