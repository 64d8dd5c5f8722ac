// The contract (schemas, vocabularies, import format), re-exported for the server side.
export * from '@mergington/contract';
export * from './entities/index.ts';
export * from './errors.ts';
export * from './modules/activities/signups.ts';
export * from './modules/activities/activities.ts';
export * from './modules/rounds/rounds.ts';
export { openingDrawOrder, placeOpeningDraw } from './modules/rounds/round-signups.ts';
export {
  cancelRoundActivity,
  loadLottery,
  previewAllocation,
  publishAllocation,
  roundWhy,
} from './modules/rounds/allocation.ts';
export { allocate } from './modules/rounds/lottery.ts';
export { myRound, myRounds, setRanking } from './modules/rounds/rankings.ts';
export * from './modules/accounts/accounts.ts';
export { LOGIN_THROTTLE } from './modules/accounts/login-throttle.ts';
export * from './modules/accounts/students.ts';
export * from './modules/accounts/teachers.ts';
export * from './modules/accounts/passwords.ts';
export * from './modules/accounts/password-reset.ts';
export { createConfig, type ConnectionSettings } from './config.ts';
export { initORM } from './orm.ts';
export { openDatabase, createDatabaseIfMissing, EMBEDDED_DATA_DIR, type DatabaseHandle } from './database.ts';
export { initDatabase, seedSampleData } from './init.ts';
export {
  readDbEnv,
  schoolTimeZone,
  absenceThreshold,
  parseEnv,
  ConfigError,
  DB_ENV_KEYS,
  type DbEnv,
} from './env.ts';
export { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded.ts';
export type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
export { OptimisticLockError } from '@mikro-orm/core';
export * from './modules/committees/committees.ts';
export * from './modules/events/events.ts';
export * from './modules/groups/groups.ts';
export * from './modules/news/news.ts';
export * from './modules/feedback/feedback.ts';
export * from './modules/payments/payments.ts';
export * from './modules/legacy/legacy.ts';
export { dashboard } from './modules/dashboard/dashboard.ts';
export * from './modules/audit/audit.ts';
export * from './modules/reports/reports.ts';
export { applyImport } from './modules/import/apply.ts';
export { addUploadPart, beginUpload, commitUpload } from './modules/import/uploads.ts';
export { BackupError, BACKUP_TABLES } from './backup/format.ts';
export { backupDatabase } from './backup/writer.ts';
export { restoreDatabase } from './backup/reader.ts';
export * from './modules/attendance/meetings.ts';
export * from './modules/attendance/roll-call.ts';
export { CHECKIN, checkIn, checkinCode, closeCheckin, openCheckin } from './modules/attendance/checkin.ts';
export * from './modules/attendance/follow-up.ts';
export * from './modules/bulk/bulk.ts';
export * from './modules/notifications/notifications.ts';
export * from './modules/notifications/delivery.ts';
export { describe as describeNotification, type Message } from './modules/notifications/messages.ts';
export { EMAIL_QUEUE, PASSWORD_RESET_QUEUE, QUEUE_SCHEMA, queueExecutor } from './queue.ts';
export { writeDailyReminders, schoolToday } from './modules/notifications/reminders.ts';
export * from './modules/calendar/feeds.ts';
