// Every migration, in order. Listed rather than found by a glob so that a bundle (dist/, see package.json's
// `build`) carries them: plain Node cannot load the .ts files at run time. `pnpm db:migrate:create` writes a
// new file here; add it to this list (migrations.test.ts fails until it is).
import { Migration20261125213405_Initial } from './Migration20261125213405_Initial.ts';
import { Migration20261125215643_LoginThrottle } from './Migration20261125215643_LoginThrottle.ts';
import { Migration20261125222003_SchoolLife } from './Migration20261125222003_SchoolLife.ts';
import { Migration20261125223619_ImportUploads } from './Migration20261125223619_ImportUploads.ts';
import { Migration20261125224500_DeferredSeatCounts } from './Migration20261125224500_DeferredSeatCounts.ts';
import { Migration20261126090000_LoginKnownAddresses } from './Migration20261126090000_LoginKnownAddresses.ts';
import { Migration20261129233854_StoredPaymentStatuses } from './Migration20261129233854_StoredPaymentStatuses.ts';
import { Migration20261130011251_AuditTrail } from './Migration20261130011251_AuditTrail.ts';
import { Migration20261130011324_Attendance } from './Migration20261130011324_Attendance.ts';
import { Migration20261130011446_SignupRounds } from './Migration20261130011446_SignupRounds.ts';
import { Migration20261130011715_Notifications } from './Migration20261130011715_Notifications.ts';
import { Migration20261130020000_TemporaryPasswords } from './Migration20261130020000_TemporaryPasswords.ts';
import { Migration20261130043000_CalendarFeeds } from './Migration20261130043000_CalendarFeeds.ts';
import { Migration20261130050000_AuditAttendance } from './Migration20261130050000_AuditAttendance.ts';
import { Migration20261130060000_AuditRounds } from './Migration20261130060000_AuditRounds.ts';
import { Migration20261130070000_PasswordResets } from './Migration20261130070000_PasswordResets.ts';
import { Migration20261130080000_OneWinnerOnePlace } from './Migration20261130080000_OneWinnerOnePlace.ts';
import { Migration20261130090000_RoundNotifications } from './Migration20261130090000_RoundNotifications.ts';
import { Migration20261130110000_EmailsQueuedLater } from './Migration20261130110000_EmailsQueuedLater.ts';
import { Migration20261201090000_RoundSignupCheck } from './Migration20261201090000_RoundSignupCheck.ts';

// Named by their keys, which a bundler keeps (it may rename the classes themselves).
export const migrationsList = Object.entries({
  Migration20261125213405_Initial,
  Migration20261125215643_LoginThrottle,
  Migration20261125222003_SchoolLife,
  Migration20261125223619_ImportUploads,
  Migration20261125224500_DeferredSeatCounts,
  Migration20261126090000_LoginKnownAddresses,
  Migration20261129233854_StoredPaymentStatuses,
  Migration20261130011251_AuditTrail,
  Migration20261130011324_Attendance,
  Migration20261130011446_SignupRounds,
  Migration20261130011715_Notifications,
  Migration20261130020000_TemporaryPasswords,
  Migration20261130043000_CalendarFeeds,
  Migration20261130050000_AuditAttendance,
  Migration20261130060000_AuditRounds,
  Migration20261130070000_PasswordResets,
  Migration20261130080000_OneWinnerOnePlace,
  Migration20261130090000_RoundNotifications,
  Migration20261130110000_EmailsQueuedLater,
  Migration20261201090000_RoundSignupCheck,
}).map(([name, migration]) => ({ name, class: migration }));
