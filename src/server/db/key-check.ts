import { timingSafeEqual } from "node:crypto";
import type pg from "pg";
import { encryptionKeyCheck, encryptionKeySource } from "~/server/crypto";
import { DatabaseSetupError } from "./errors";

/**
 * Proves that this instance encrypts with the key the database's secrets were written with. The first instance
 * records the key's fingerprint; any later one with another key (another host's generated `.data/encryption.key`,
 * a lost or mistyped ENCRYPTION_KEY) stops here, before it writes secrets no other instance could read.
 */
export async function checkEncryptionKey(pool: pg.Pool): Promise<"recorded" | "matches"> {
  const mine = encryptionKeyCheck();
  const inserted = await pool.query(
    "INSERT INTO install_settings (name, value) VALUES ('encryption_key_check', $1) ON CONFLICT (name) DO NOTHING",
    [mine],
  );
  if (inserted.rowCount === 1) return "recorded";
  const { rows } = await pool.query<{ value: string }>("SELECT value FROM install_settings WHERE name = 'encryption_key_check'");
  const recorded = Buffer.from(rows[0]?.value ?? "", "utf8");
  const current = Buffer.from(mine, "utf8");
  if (recorded.length === current.length && timingSafeEqual(recorded, current)) return "matches";
  throw new DatabaseSetupError(
    `The encryption key (${encryptionKeySource()}) is not the one this database's secrets were encrypted with. ` +
      "Every instance that shares a database must use the same ENCRYPTION_KEY: set it to the key of the first " +
      "instance (its ENCRYPTION_KEY, or the content of its .data/encryption.key).",
  );
}
