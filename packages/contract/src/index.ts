// The contract between the apps: the shapes that cross the API (strict, bounded inputs and the outputs), the
// domain's fixed vocabularies and the canonical import format. zod only, no ORM: the web app bundles it and
// the CLI installs it without the database side.
export * from './constants.ts';
export * from './schemas/common.ts';
export * from './schemas/accounts.ts';
export * from './schemas/activities.ts';
export * from './schemas/school.ts';
export * from './schemas/rounds.ts';
export * from './schemas/visitors.ts';
export * from './schemas/audit.ts';
export * from './schemas/exports.ts';
export * from './schemas/legacy.ts';
export * from './schemas/notifications.ts';
export * from './names.ts';
export * from './ordinal.ts';
export * from './schedule.ts';
export * from './field-errors.ts';
export * from './password-hashes.ts';
export * from './import/dataset.ts';
export * from './import/json-schema.ts';
export * from './schemas/attendance.ts';
export * from './schemas/bulk.ts';
export * from './schemas/calendar.ts';
