// What one HTTP request may ask of the API (README "Security").

/**
 * The default and least MAX_BODY_BYTES (env.ts): the largest body /trpc reads. The importer's parts
 * (apps/cli, at most 512 KiB) fit under it with room to spare.
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Procedure calls in one batched request. A call can cost a password hash, so an unbounded batch is
 * unbounded work for one request; the shared client's link sends at most this many (packages/client).
 */
export const MAX_BATCH_SIZE = 20;

/**
 * The body of `backup.restore`, the one request that carries a whole school (a base64 backup; the bench's
 * 100,000 students make 3.5 MB). It is read only once an admin's session is checked; larger schools
 * restore with `pnpm db:restore`.
 */
export const MAX_RESTORE_BODY_BYTES = 64 * 1024 * 1024;
