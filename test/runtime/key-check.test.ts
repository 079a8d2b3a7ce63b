import { describe, expect, it } from "vitest";
import { encryptionKeyCheck } from "~/server/crypto";
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
