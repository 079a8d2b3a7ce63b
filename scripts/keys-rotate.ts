/**
 * `npm run keys:rotate`: re-encrypts every stored secret under the newest configured key version (README, "Rotating
 * the encryption key"). Add the new key to ENCRYPTION_KEYS on every instance first; afterwards the old version may
 * be removed from the configuration.
 */
import { randomBytes } from "node:crypto";
import { runCli } from "./cli";

runCli(async () => {
  const { ensureDatabase } = await import("~/server/db/runtime");
  const { migrateDatabase } = await import("~/server/db/migrator");
  const { createPool } = await import("~/server/db/pool");
  const { checkEncryptionKey } = await import("~/server/db/key-check");
  const { rotateSecrets } = await import("~/server/db/key-rotation");
  const { currentKeyVersion, encryptionKeySource, keyVersions } = await import("~/server/crypto");

  const database = await ensureDatabase({ log: () => {} });
  const pool = createPool(database.url, 2);
  try {
    await migrateDatabase(database.url, { log: () => {} });
    // Refuses keys that are not the install's before anything is rewritten with them.
    await checkEncryptionKey(pool);
    const version = currentKeyVersion();
    console.log(
      `▸ Keys held: ${keyVersions().join(", ")}; encrypting under version ${version} (${encryptionKeySource()})`,
    );
    const { rotated } = await rotateSecrets(pool);
    const total = rotated.integrationSecrets + rotated.environmentVariables + rotated.mailBodies;
    console.log(
      `▸ Re-encrypted ${total} secret(s) under key version ${version}: ${rotated.integrationSecrets} integration ` +
        `secret(s), ${rotated.environmentVariables} environment variable(s), ${rotated.mailBodies} mail(s).`,
    );
    if (total === 0 && keyVersions().length === 1) {
      console.log(
        `  Everything was already under version ${version}. To rotate to a new key, add it first, e.g.\n` +
          `  ENCRYPTION_KEYS="${version + 1}:${randomBytes(32).toString("base64")}" (keep version ${version} configured until keys:rotate has run under the new one).`,
      );
    } else if (keyVersions().length > 1) {
      console.log(
        `  Older versions (${keyVersions()
          .filter((held) => held !== version)
          .join(", ")}) are no longer needed.`,
      );
    }
  } finally {
    await pool.end();
    await database.stop();
  }
});
