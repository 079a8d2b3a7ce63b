import type pg from "pg";
import { currentKeyVersion, decryptSecret, encryptSecret, envelopeKeyVersion } from "~/server/crypto";
import { DatabaseSetupError } from "./errors";

/** Every column that holds envelopes (src/server/crypto.ts), by table. */
export interface RotationCounts {
  integrationSecrets: number;
  environmentVariables: number;
  mailBodies: number;
}

interface Unreadable {
  where: string;
  reason: string;
}

/**
 * Re-encrypts every secret that is not under the current key version (integration API keys and webhook secrets,
 * project environment variable values, mail bodies) in ONE transaction. Everything is decrypted first; if any
 * value cannot be (a key version this instance lacks, a tampered envelope), nothing is written and the error lists
 * where. The tables are locked against writes for the transaction (reads go on), so no instance can add a secret
 * under an old version behind the rotation's back. Values already under the current version are left as they are.
 */
export async function rotateSecrets(pool: pg.Pool): Promise<{ version: number; rotated: RotationCounts }> {
  const version = currentKeyVersion();
  const prefix = `v${version}:`;
  const unreadable: Unreadable[] = [];
  const reencrypt = (envelope: string, where: string): string | null => {
    if (envelope.startsWith(prefix)) return null;
    try {
      return encryptSecret(decryptSecret(envelope));
    } catch (error) {
      unreadable.push({ where, reason: error instanceof Error ? error.message : String(error) });
      return null;
    }
  };

  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("LOCK TABLE project_integrations, projects, mail_outbox IN EXCLUSIVE MODE");

    const integrations = await client.query<{ id: string; api_key: string | null; secret: string | null }>(
      `SELECT id, api_key_encrypted AS api_key, webhook_secret_encrypted AS secret FROM project_integrations
        WHERE api_key_encrypted IS NOT NULL OR webhook_secret_encrypted IS NOT NULL`,
    );
    const integrationUpdates: Array<{ id: string; apiKey: string | null; secret: string | null }> = [];
    let integrationSecrets = 0;
    for (const row of integrations.rows) {
      const apiKey = row.api_key === null ? null : reencrypt(row.api_key, `integration ${row.id} (API key)`);
      const secret = row.secret === null ? null : reencrypt(row.secret, `integration ${row.id} (webhook secret)`);
      integrationSecrets += Number(apiKey !== null) + Number(secret !== null);
      if (apiKey !== null || secret !== null) {
        integrationUpdates.push({ id: row.id, apiKey: apiKey ?? row.api_key, secret: secret ?? row.secret });
      }
    }

    const projects = await client.query<{ id: string; vars: Record<string, string> }>(
      `SELECT id, environment_vars AS vars FROM projects
        WHERE environment_vars IS NOT NULL AND environment_vars <> '{}'::jsonb`,
    );
    const projectUpdates: Array<{ id: string; vars: Record<string, string> }> = [];
    let environmentVariables = 0;
    for (const row of projects.rows) {
      let changed = false;
      const vars: Record<string, string> = {};
      for (const [name, envelope] of Object.entries(row.vars)) {
        const next = reencrypt(envelope, `project ${row.id} (variable ${name})`);
        vars[name] = next ?? envelope;
        if (next !== null) {
          changed = true;
          environmentVariables++;
        }
      }
      if (changed) projectUpdates.push({ id: row.id, vars });
    }

    // Bodies from before mail was encrypted are in clear (their links were revoked): nothing to rotate there.
    const mails = await client.query<{ id: string; text_body: string; html_body: string | null }>(
      `SELECT id, text_body, html_body FROM mail_outbox WHERE text_body ~ '^v[0-9]+:' OR html_body ~ '^v[0-9]+:'`,
    );
    const mailUpdates: Array<{ id: string; text: string; html: string | null }> = [];
    for (const row of mails.rows) {
      const encrypted = (value: string | null) => value !== null && envelopeKeyVersion(value) !== null;
      const text = encrypted(row.text_body) ? reencrypt(row.text_body, `mail ${row.id} (text)`) : null;
      const html = encrypted(row.html_body) ? reencrypt(row.html_body!, `mail ${row.id} (HTML)`) : null;
      if (text !== null || html !== null) {
        mailUpdates.push({ id: row.id, text: text ?? row.text_body, html: html ?? row.html_body });
      }
    }

    if (unreadable.length > 0) {
      await client.query("ROLLBACK");
      const shown = unreadable.slice(0, 10).map((entry) => `  ${entry.where}: ${entry.reason}`);
      const more = unreadable.length > 10 ? [`  ... and ${unreadable.length - 10} more`] : [];
      throw new DatabaseSetupError(
        `${unreadable.length} secret(s) cannot be decrypted with the configured keys; nothing was changed.\n` +
          [...shown, ...more].join("\n") +
          "\nAdd the missing key version to ENCRYPTION_KEYS (or fix ENCRYPTION_KEY) and run keys:rotate again.",
      );
    }

    for (const update of integrationUpdates) {
      await client.query(
        `UPDATE project_integrations SET api_key_encrypted = $2, webhook_secret_encrypted = $3, key_version = $4
          WHERE id = $1`,
        [update.id, update.apiKey, update.secret, version],
      );
    }
    for (const update of projectUpdates) {
      await client.query("UPDATE projects SET environment_vars = $2::jsonb WHERE id = $1", [
        update.id,
        JSON.stringify(update.vars),
      ]);
    }
    for (const update of mailUpdates) {
      await client.query("UPDATE mail_outbox SET text_body = $2, html_body = $3 WHERE id = $1", [
        update.id,
        update.text,
        update.html,
      ]);
    }
    // Rows whose secrets were all current already but whose version column lagged (cleared secrets, say).
    await client.query(
      `UPDATE project_integrations SET key_version = $1
        WHERE key_version <> $1
          AND (api_key_encrypted IS NULL OR api_key_encrypted LIKE $2)
          AND (webhook_secret_encrypted IS NULL OR webhook_secret_encrypted LIKE $2)`,
      [version, `${prefix}%`],
    );
    await client.query("COMMIT");
    return {
      version,
      rotated: {
        integrationSecrets,
        environmentVariables,
        mailBodies: mailUpdates.length,
      },
    };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
