import { Migration } from '@mikro-orm/migrations';

export class Migration20261130020000_TemporaryPasswords extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "student" add column "must_change_password" boolean not null default false;`);
    this.addSql(`alter table "teacher" add column "must_change_password" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "student" drop column "must_change_password";`);
    this.addSql(`alter table "teacher" drop column "must_change_password";`);
  }
}
