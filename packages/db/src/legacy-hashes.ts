// How the old app's password hashes are stored here (verifyPassword in passwords.ts reads them). No
// dependencies: the importer uses these too.

/** The stored form of the old app's PBKDF2 entries ({salt, iterations, password_hash}). */
export function legacyPbkdf2Hash(entry: { salt: string; iterations: number; passwordHash: string }): string {
  return `pbkdf2-sha256$${entry.iterations}$${entry.salt}$${entry.passwordHash.toLowerCase()}`;
}

/** The stored form of the old app's unsalted SHA-256 hex hashes. */
export function legacySha256Hash(hex: string): string {
  return `sha256$${hex.toLowerCase()}`;
}
