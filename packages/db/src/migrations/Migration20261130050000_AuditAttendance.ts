import { Migration } from '@mikro-orm/migrations';

/**
 * Attendance's tables join the audit trail. `attendance_change` is attendance's own history (written by a
 * trigger) and `checkin_throttle` counts wrong codes: bookkeeping, like `login_throttle`.
 */
export class Migration20261130050000_AuditAttendance extends Migration {
  override async up(): Promise<void> {
    this.addSql(`select attach_audit('school_closure');`);
    this.addSql(`select attach_audit('meeting');`);
    this.addSql(`select attach_audit('attendance');`);
  }

  override async down(): Promise<void> {
    for (const table of ['school_closure', 'meeting', 'attendance']) {
      this.addSql(`drop trigger if exists audit on "${table}";`);
    }
  }
}
