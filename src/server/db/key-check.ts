import { timingSafeEqual } from "node:crypto";
import type pg from "pg";
import {
  currentKeyVersion,
  decryptSecret,
  encryptionKeyCheck,
  encryptionKeySource,
  keyVersions,
} from "~/server/crypto";
import { DatabaseSetupError } from "./errors";

/** The install_settings row of a key version's fingerprint; version 1 keeps the name it had before rotation. */
export function keyCheckName(version: number): string {
  return version === 1 ? "encryption_key_check" : `encryption_key_check_v${version}`;
}

/**
 * Proves that this instance encrypts with the keys the database's secrets were written with. The first instance
 * holding a key version records its fingerprint; any later one with another key for that version (another host's
 * generated `.data/encryption.key`, a lost or mistyped ENCRYPTION_KEY) stops here, before it writes secrets no other
 * instance could read. An instance whose newest key is older than one another instance recorded stops too: it
 * could not read what they now write.
 */
export async function checkEncryptionKey(pool: pg.Pool): Promise<"recorded" | "matches"> {
  const { rows: known } = await pool.query<{ name: string; value: string }>(
    "SELECT name, value FROM install_settings WHERE name ~ '^encryption_key_check(_v[0-9]+)?$'",
  );
  // Nothing recorded yet, but secrets may be there already (an install from before the check): the first
  // instance proves its key on one of them before its fingerprint becomes the install's.
  if (known.length === 0) await proveOnExistingSecret(pool);
  let recorded = false;
  for (const version of keyVersions()) {
    const mine = encryptionKeyCheck(version);
    const inserted = await pool.query(
      "INSERT INTO install_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
      [keyCheckName(version), mine],
    );
    if (inserted.rowCount === 1) {
      recorded = true;
      continue;
    }
    const { rows } = await pool.query<{ value: string }>("SELECT value FROM install_settings WHERE name = $1", [
      keyCheckName(version),
    ]);
    const stored = Buffer.from(rows[0]?.value ?? "", "utf8");
    const current = Buffer.from(mine, "utf8");
    if (stored.length !== current.length || !timingSafeEqual(stored, current)) throw wrongKey(version);
  }
  const newest = Math.max(
    ...known.map(({ name }) =>
      name === "encryption_key_check" ? 1 : Number(name.slice("encryption_key_check_v".length)),
    ),
  );
  if (newest > currentKeyVersion()) {
    throw new DatabaseSetupError(
      `This database's secrets may be encrypted with key version ${newest} (an instance holding it has run here), ` +
        `which this instance lacks (its newest is ${currentKeyVersion()}). Give every instance the same ENCRYPTION_KEYS.`,
    );
  }
  return recorded ? "recorded" : "matches";
}

/** Decrypts the newest stored secret (a mail body, an integration key or secret), if there is one. */
async function proveOnExistingSecret(pool: pg.Pool) {
  const { rows } = await pool.query<{ envelope: string }>(
    `SELECT envelope FROM (
       (SELECT text_body AS envelope, created_at FROM mail_outbox WHERE text_body ~ '^v[0-9]+:' ORDER BY created_at DESC LIMIT 1)
       UNION ALL
       (SELECT api_key_encrypted, created_at FROM project_integrations WHERE api_key_encrypted ~ '^v[0-9]+:' ORDER BY created_at DESC LIMIT 1)
       UNION ALL
       (SELECT webhook_secret_encrypted, created_at FROM project_integrations WHERE webhook_secret_encrypted ~ '^v[0-9]+:' ORDER BY created_at DESC LIMIT 1)
     ) secrets ORDER BY created_at DESC LIMIT 1`,
  );
  const envelope = rows[0]?.envelope;
  if (!envelope) return;
  try {
    decryptSecret(envelope);
  } catch {
    throw wrongKey(currentKeyVersion());
  }
}

function wrongKey(version: number): DatabaseSetupError {
  return new DatabaseSetupError(
    `The encryption key (${encryptionKeySource(version)}) is not the one this database's secrets were encrypted with. ` +
      "Every instance that shares a database must use the same ENCRYPTION_KEY (and ENCRYPTION_KEYS): set it to the " +
      "key of the first instance (its ENCRYPTION_KEY, or the content of its .data/encryption.key).",
  );
}
