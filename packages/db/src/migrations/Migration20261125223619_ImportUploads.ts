import { Migration } from '@mikro-orm/migrations';

export class Migration20261125223619_ImportUploads extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "import_chunk" ("id" serial primary key, "upload_id" uuid not null, "seq" int not null, "payload" jsonb not null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "import_chunk_created_at_index" on "import_chunk" ("created_at");`);
    this.addSql(`alter table "import_chunk" add constraint "import_chunk_once" unique ("upload_id", "seq");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "import_chunk" cascade;`);
  }
}
