import { Migration } from '@mikro-orm/migrations';

const ROUND_TABLES = [
  'signup_round',
  'signup_round_activity',
  'round_ranking',
  'round_draw',
  'opening_draw_entry',
  'round_override',
];

/** Signup rounds' tables join the audit trail: who set a round's rules, ranked, drew, published, overrode. */
export class Migration20261130060000_AuditRounds extends Migration {
  override async up(): Promise<void> {
    for (const table of ROUND_TABLES) this.addSql(`select attach_audit('${table}');`);
  }

  override async down(): Promise<void> {
    for (const table of ROUND_TABLES) this.addSql(`drop trigger if exists audit on "${table}";`);
  }
}
