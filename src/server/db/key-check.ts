import { timingSafeEqual } from "node:crypto";
import type pg from "pg";
import { decryptSecret, encryptionKeyCheck, encryptionKeySource } from "~/server/crypto";
import { DatabaseSetupError } from "./errors";

/**
 * Proves that this instance encrypts with the key the database's secrets were written with. The first instance
 * records the key's fingerprint; any later one with another key (another host's generated `.data/encryption.key`,
 * a lost or mistyped ENCRYPTION_KEY) stops here, before it writes secrets no other instance could read.
 */
export async function checkEncryptionKey(pool: pg.Pool): Promise<"recorded" | "matches"> {
  const mine = encryptionKeyCheck();
  const { rowCount: known } = await pool.query("SELECT 1 FROM install_settings WHERE name = 'encryption_key_check'");
  // Nothing recorded yet, but secrets may be there already (an install from before the check): the first
  // instance proves its key on one of them before its fingerprint becomes the install's.
  if (known === 0) await proveOnExistingSecret(pool);
  const inserted = await pool.query(
    "INSERT INTO install_settings (name, value) VALUES ('encryption_key_check', $1) ON CONFLICT (name) DO NOTHING",
    [mine],
  );
  if (inserted.rowCount === 1) return "recorded";
  const { rows } = await pool.query<{ value: string }>(
    "SELECT value FROM install_settings WHERE name = 'encryption_key_check'",
  );
  const recorded = Buffer.from(rows[0]?.value ?? "", "utf8");
  const current = Buffer.from(mine, "utf8");
  if (recorded.length === current.length && timingSafeEqual(recorded, current)) return "matches";
  throw wrongKey();
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
    throw wrongKey();
  }
}

function wrongKey(): DatabaseSetupError {
  return new DatabaseSetupError(
    `The encryption key (${encryptionKeySource()}) is not the one this database's secrets were encrypted with. ` +
      "Every instance that shares a database must use the same ENCRYPTION_KEY: set it to the key of the first " +
      "instance (its ENCRYPTION_KEY, or the content of its .data/encryption.key).",
  );
}
