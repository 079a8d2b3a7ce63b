import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "~/env";

/**
 * Secrets at rest (integration keys, webhook secrets, project env var values): AES-256-GCM, a fresh 96-bit
 * nonce per value, and the key version in the envelope `v<version>:<nonce b64>:<ciphertext+tag b64>`, so keys can
 * be rotated. The database refuses env var values that are not envelopes (docs/schema.md, fix 9).
 */
const KEY_VERSION = 1;
const ENVELOPE = /^v(\d+):([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/;

let cachedKey: Buffer | undefined;

/** ENCRYPTION_KEY, or a key generated once into the data directory for the self-contained default. */
function encryptionKey(): Buffer {
  if (cachedKey) return cachedKey;
  if (env.ENCRYPTION_KEY) return (cachedKey = Buffer.from(env.ENCRYPTION_KEY, "base64"));
  const file = path.join(env.VAPORFORM_DATA_DIR, "encryption.key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  }
  return (cachedKey = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64"));
}

/** Where the key comes from, for messages to the operator. */
export function encryptionKeySource(): string {
  return env.ENCRYPTION_KEY ? "ENCRYPTION_KEY" : path.join(env.VAPORFORM_DATA_DIR, "encryption.key");
}

/** A fingerprint of the key (an HMAC of a fixed label, from which the key cannot be recovered). */
export function encryptionKeyCheck(): string {
  return createHmac("sha256", encryptionKey()).update("vaporform encryption key check v1").digest("hex");
}

/** Encrypts a secret into an envelope string. */
export function encryptSecret(plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(), nonce);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `v${KEY_VERSION}:${nonce.toString("base64")}:${body.toString("base64")}`;
}

/** Decrypts an envelope made by encryptSecret; throws on tampering or an unknown key version. */
export function decryptSecret(envelope: string): string {
  const match = ENVELOPE.exec(envelope);
  if (!match) throw new Error("Not an encrypted value.");
  const [, version, nonce, payload] = match;
  if (Number(version) !== KEY_VERSION) throw new Error(`Unknown encryption key version ${version}.`);
  const body = Buffer.from(payload ?? "", "base64");
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey(), Buffer.from(nonce ?? "", "base64"));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
}

/** Whether `value` has the form of an envelope made by encryptSecret. */
export function isEncrypted(value: string): boolean {
  return ENVELOPE.test(value);
}

/**
 * A key for one `purpose` (say, signing device tokens), derived from the encryption key: one secret to keep, and a
 * key used for one thing only.
 */
export function derivedKey(purpose: string): Buffer {
  return createHmac("sha256", encryptionKey()).update(`vaporform:${purpose}`).digest();
}

/** What a browser may see of a secret: never the value, only a hint that one is set. */
export function maskSecret(plaintext: string): string {
  return plaintext.length <= 8 ? "••••••••" : `••••••••${plaintext.slice(-4)}`;
}
