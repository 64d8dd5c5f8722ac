import { Migration } from '@mikro-orm/migrations';

export class Migration20261126090000_LoginKnownAddresses extends Migration {
  override async up(): Promise<void> {
    // The old counters were per account name only; they mean nothing to the new keys (a brief reset).
    this.addSql(`delete from "login_throttle";`);
    this.addSql(`alter table "login_throttle" add column "last_success_at" timestamptz null;`);
    // An account-from-address key is an address and a login of up to 254 characters.
    this.addSql(
      `alter table "login_throttle" alter column "key" type varchar(400) using ("key"::varchar(400));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "login_throttle";`);
    this.addSql(
      `alter table "login_throttle" alter column "key" type varchar(300) using ("key"::varchar(300));`,
    );
    this.addSql(`alter table "login_throttle" drop column "last_success_at";`);
  }
}
