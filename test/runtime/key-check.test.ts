import { createCipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encryptionKeyCheck, encryptSecret } from "~/server/crypto";
import { DatabaseSetupError } from "~/server/db/errors";
import { checkEncryptionKey } from "~/server/db/key-check";
import { pool } from "../db";

describe("one encryption key per install", () => {
  it("records the first instance's key fingerprint, accepts the same key, and refuses another", async () => {
    await pool.query("DELETE FROM install_settings");
    expect(await checkEncryptionKey(pool)).toBe("recorded");
    expect(await checkEncryptionKey(pool)).toBe("matches");

    // Another instance wrote its secrets with another key first.
    await pool.query("UPDATE install_settings SET value = $1 WHERE name = 'encryption_key_check'", ["0".repeat(64)]);
    const attempt = checkEncryptionKey(pool);
    await expect(attempt).rejects.toBeInstanceOf(DatabaseSetupError);
    await expect(attempt).rejects.toThrow(/is not the one this database's secrets were encrypted with/);
    const { rows } = await pool.query("SELECT value FROM install_settings");
    expect(rows).toEqual([{ value: "0".repeat(64) }]);
  });

  it("stores a fingerprint from which the key cannot be read", () => {
    const key = Buffer.from(process.env.ENCRYPTION_KEY ?? "", "base64");
    const check = encryptionKeyCheck();
    expect(check).toMatch(/^[0-9a-f]{64}$/);
    expect(check).not.toContain(key.toString("hex"));
  });
});

describe("one encryption key per install, on a database from before the check", () => {
  it("refuses to record a key that cannot decrypt the secrets already stored", async () => {
    await pool.query("DELETE FROM install_settings");
    // A mail body written by an instance with another key.
    const otherKey = randomBytes(32);
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", otherKey, nonce);
    const body = Buffer.concat([cipher.update("reset link", "utf8"), cipher.final(), cipher.getAuthTag()]);
    const envelope = `v1:${nonce.toString("base64")}:${body.toString("base64")}`;
    const { rows } = await pool.query<{ id: string }>(
      "INSERT INTO mail_outbox (to_address, subject, text_body, purpose) VALUES ('a@example.com', 's', $1, 'password_reset') RETURNING id",
      [envelope],
    );

    await expect(checkEncryptionKey(pool)).rejects.toThrow(
      /is not the one this database's secrets were encrypted with/,
    );
    expect((await pool.query("SELECT 1 FROM install_settings")).rowCount).toBe(0);

    // With the key that wrote them, it is recorded.
    await pool.query("UPDATE mail_outbox SET text_body = $1 WHERE id = $2", [encryptSecret("reset link"), rows[0]!.id]);
    expect(await checkEncryptionKey(pool)).toBe("recorded");
  });
});
