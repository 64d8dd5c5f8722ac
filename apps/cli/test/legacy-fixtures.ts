import { join } from 'node:path';

/**
 * The old app's sample files in its three historical shapes, copied verbatim into the repository so that a
 * fresh clone tests with them: `mergington-v1` (activities only, keyed by name), `mergington-v2` (plus
 * plaintext teachers under "teachers"), `mergington-v3` (structured schedules, argon2 teachers with roles).
 */
export const LEGACY_FIXTURES = join(import.meta.dirname, 'fixtures/legacy');
