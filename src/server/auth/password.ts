import { hash, verify, type Algorithm } from "@node-rs/argon2";

/**
 * OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane (about 50 ms a hash). The seed hashes with hashPassword too, so
 * seeded and registered accounts verify alike. `2` is `Algorithm.Argon2id` (a const enum, which isolated modules
 * cannot read).
 */
const ARGON2_OPTIONS = { algorithm: 2 as Algorithm, memoryCost: 19456, timeCost: 2, parallelism: 1 };

/**
 * A hash of a random, forgotten password with the same parameters. Verifying against it when there is no real hash
 * (unknown account, GitHub-only account) costs what a real check costs, so the answer's timing does not tell
 * whether an account exists.
 */
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$BrgX8XP3TA/T7k2+BHty5Q$hY2dLuQz/no41u+oVg9chE2rRbdKx8wnivlhTl0uEsY";

/** Hashes a new password (argon2id, random salt, PHC string). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/**
 * Whether `password` matches `passwordHash`. With no hash it still spends a full verification (on the dummy hash)
 * and answers false; a malformed stored hash also answers false rather than failing the request.
 */
export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    await verify(DUMMY_HASH, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
