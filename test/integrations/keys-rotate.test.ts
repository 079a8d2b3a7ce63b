import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import {
  currentKeyVersion,
  decryptSecret,
  derivedKey,
  encryptSecret,
  setEncryptionKeysForTests,
} from "~/server/crypto";
import { checkEncryptionKey } from "~/server/db/key-check";
import { rotateSecrets } from "~/server/db/key-rotation";
import { sendMail } from "~/server/services/mail";
import { db } from "~/server/db/client";
import { newProject, signedInUser } from "../files/support";
import { pool } from "../db";

const KEY_1 = Buffer.from(process.env.ENCRYPTION_KEY ?? "", "base64");
const KEY_2 = randomBytes(32);

afterEach(() => setEncryptionKeysForTests(undefined));

/** Every envelope in the database, by where it is. */
async function allSecrets(): Promise<Record<string, string>> {
  const secrets: Record<string, string> = {};
  const integrations = await pool.query<{ id: string; a: string | null; w: string | null; v: number }>(
    "SELECT id, api_key_encrypted AS a, webhook_secret_encrypted AS w, key_version AS v FROM project_integrations",
  );
  for (const row of integrations.rows) {
    if (row.a) secrets[`integration:${row.id}:api`] = row.a;
    if (row.w) secrets[`integration:${row.id}:secret`] = row.w;
    secrets[`integration:${row.id}:version`] = String(row.v);
  }
  const projects = await pool.query<{ id: string; vars: Record<string, string> }>(
    "SELECT id, environment_vars AS vars FROM projects WHERE environment_vars <> '{}'::jsonb",
  );
  for (const row of projects.rows) {
    for (const [name, value] of Object.entries(row.vars)) secrets[`project:${row.id}:${name}`] = value;
  }
  const mails = await pool.query<{ id: string; text_body: string; html_body: string | null }>(
    "SELECT id, text_body, html_body FROM mail_outbox",
  );
  for (const row of mails.rows) {
    secrets[`mail:${row.id}:text`] = row.text_body;
    if (row.html_body) secrets[`mail:${row.id}:html`] = row.html_body;
  }
  return secrets;
}

async function seedSecrets() {
  const { api, userId } = await signedInUser();
  const projectId = await newProject(api);
  await api.integration.create({
    projectId,
    serviceName: "Rotated",
    serviceType: "webhook",
    apiKey: "sk-rotate-me-0001",
    webhookSecret: "whsec-rotate-me-0000001",
  });
  await pool.query("UPDATE projects SET environment_vars = $2::jsonb WHERE id = $1", [
    projectId,
    JSON.stringify({ API_TOKEN: encryptSecret("token-1"), DB_PASSWORD: encryptSecret("hunter2") }),
  ]);
  await sendMail({
    db,
    to: "rotate@example.com",
    subject: "Hi",
    text: "reset link",
    html: "<p>reset</p>",
    purpose: "reset_password",
    userId,
  });
  return { api, projectId };
}

describe("npm run keys:rotate", () => {
  it("re-encrypts every secret under the new version in one go, and each still decrypts to the same", async () => {
    const { api, projectId } = await seedSecrets();
    const before = await allSecrets();
    const plain = Object.fromEntries(
      Object.entries(before)
        .filter(([where]) => !where.endsWith(":version"))
        .map(([where, envelope]) => [where, decryptSecret(envelope)]),
    );
    expect(Object.values(before).filter((value) => value.startsWith("v1:")).length).toBe(Object.keys(plain).length);
    const deviceKey = derivedKey("device-token");

    setEncryptionKeysForTests(
      new Map([
        [1, KEY_1],
        [2, KEY_2],
      ]),
    );
    expect(currentKeyVersion()).toBe(2);
    // Adding a version keeps the derived keys (device tokens stay valid) until the old one is retired.
    expect(derivedKey("device-token").equals(deviceKey)).toBe(true);
    // Both versions read before the rotation.
    for (const [where, envelope] of Object.entries(before)) {
      if (!where.endsWith(":version")) expect(decryptSecret(envelope)).toBe(plain[where]);
    }
    const result = await rotateSecrets(pool);
    expect(result).toEqual({ version: 2, rotated: { integrationSecrets: 2, environmentVariables: 2, mailBodies: 1 } });

    const after = await allSecrets();
    for (const [where, envelope] of Object.entries(after)) {
      if (where.endsWith(":version")) {
        expect(envelope, where).toBe("2");
        continue;
      }
      expect(envelope, where).toMatch(/^v2:/);
      expect(decryptSecret(envelope), where).toBe(plain[where]);
    }

    // With version 1 retired, everything still reads, and the UI still shows the masks.
    setEncryptionKeysForTests(new Map([[2, KEY_2]]));
    for (const [where, envelope] of Object.entries(after)) {
      if (!where.endsWith(":version")) expect(decryptSecret(envelope)).toBe(plain[where]);
    }
    const [listed] = await api.integration.list({ projectId });
    expect(listed?.apiKey).toBe("••••••••0001");

    // A second run has nothing left to do.
    expect((await rotateSecrets(pool)).rotated).toEqual({
      integrationSecrets: 0,
      environmentVariables: 0,
      mailBodies: 0,
    });
  });

  it("refuses to run when any secret cannot be decrypted, and changes nothing", async () => {
    const { projectId } = await seedSecrets();
    // One value written under a key this instance does not hold.
    setEncryptionKeysForTests(new Map([[7, randomBytes(32)]]));
    const foreign = encryptSecret("from elsewhere");
    setEncryptionKeysForTests(undefined);
    await pool.query(
      "UPDATE projects SET environment_vars = environment_vars || jsonb_build_object('FOREIGN', $2::text) WHERE id = $1",
      [projectId, foreign],
    );
    const before = await allSecrets();

    setEncryptionKeysForTests(
      new Map([
        [1, KEY_1],
        [2, KEY_2],
      ]),
    );
    await expect(rotateSecrets(pool)).rejects.toThrow(
      new RegExp(
        `1 secret\\(s\\) cannot be decrypted with the configured keys; nothing was changed\\.\\n  project ${projectId} \\(variable FOREIGN\\): Unknown encryption key version 7`,
      ),
    );
    expect(await allSecrets()).toEqual(before);
  });

  it("records each key version's fingerprint, and stops an instance that lacks a newer one", async () => {
    await pool.query("DELETE FROM install_settings");
    expect(await checkEncryptionKey(pool)).toBe("recorded");
    setEncryptionKeysForTests(
      new Map([
        [1, KEY_1],
        [2, KEY_2],
      ]),
    );
    expect(await checkEncryptionKey(pool)).toBe("recorded");
    expect(await checkEncryptionKey(pool)).toBe("matches");
    const { rows } = await pool.query<{ name: string }>("SELECT name FROM install_settings ORDER BY name");
    expect(rows.map((row) => row.name)).toEqual(["encryption_key_check", "encryption_key_check_v2"]);

    // An instance still on version 1 only would write secrets the others re-encrypt away from, and cannot read theirs.
    setEncryptionKeysForTests(new Map([[1, KEY_1]]));
    await expect(checkEncryptionKey(pool)).rejects.toThrow(
      /key version 2 \(an instance holding it has run here\), which this instance lacks/,
    );
    // Another key claiming to be version 2 is refused.
    setEncryptionKeysForTests(
      new Map([
        [1, KEY_1],
        [2, randomBytes(32)],
      ]),
    );
    await expect(checkEncryptionKey(pool)).rejects.toThrow(
      /is not the one this database's secrets were encrypted with/,
    );
  });
});
