import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "~/env";

/**
 * Secrets at rest (integration keys, webhook secrets, project env var values, mail bodies): AES-256-GCM, a fresh
 * 96-bit nonce per value, and the key version in the envelope `v<version>:<nonce b64>:<ciphertext+tag b64>`, so keys
 * can be rotated. The database refuses env var values that are not envelopes (docs/schema.md, fix 9).
 *
 * Keys: version 1 is ENCRYPTION_KEY (or, unset, a key generated once into the data directory); ENCRYPTION_KEYS adds
 * further versions. The highest version encrypts; every held version decrypts, so envelopes written before a new key
 * was added stay readable until `npm run keys:rotate` re-encrypts them.
 */
const ENVELOPE = /^v(\d+):([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/;

interface Keyring {
  current: number;
  keys: Map<number, Buffer>;
  sources: Map<number, string>;
}

let cachedKeyring: Keyring | undefined;

function keyFile(): string {
  return path.join(env.VAPORFORM_DATA_DIR, "encryption.key");
}

/** Reads (and, for the self-contained default with no key configured at all, first generates) the key file. */
function fileKey(generate: boolean): Buffer | undefined {
  const file = keyFile();
  if (!fs.existsSync(file)) {
    if (!generate) return undefined;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  }
  return Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
}

function keyring(): Keyring {
  if (cachedKeyring) return cachedKeyring;
  const keys = new Map<number, Buffer>();
  const sources = new Map<number, string>();
  for (const [version, key] of env.ENCRYPTION_KEYS ?? []) {
    keys.set(version, Buffer.from(key, "base64"));
    sources.set(version, `ENCRYPTION_KEYS (version ${version})`);
  }
  if (env.ENCRYPTION_KEY) {
    const key = Buffer.from(env.ENCRYPTION_KEY, "base64");
    const listed = keys.get(1);
    if (listed && !listed.equals(key)) {
      throw new Error("ENCRYPTION_KEY and version 1 of ENCRYPTION_KEYS differ: ENCRYPTION_KEY is version 1.");
    }
    keys.set(1, key);
    sources.set(1, "ENCRYPTION_KEY");
  } else if (!keys.has(1)) {
    // The generated key is version 1 of an install that never configured one; it is made only when nothing is.
    const key = fileKey(keys.size === 0);
    if (key) {
      keys.set(1, key);
      sources.set(1, keyFile());
    }
  }
  return (cachedKeyring = { current: Math.max(...keys.keys()), keys, sources });
}

/**
 * Replaces the configured keys (a test's way to add a version and rotate in one process); undefined goes back to
 * the environment's.
 */
export function setEncryptionKeysForTests(keys: Map<number, Buffer> | undefined): void {
  cachedKeyring = keys && {
    current: Math.max(...keys.keys()),
    keys,
    sources: new Map([...keys.keys()].map((version) => [version, `test key version ${version}`])),
  };
}

function keyOf(version: number): Buffer {
  const key = keyring().keys.get(version);
  if (!key) {
    throw new Error(
      `Unknown encryption key version ${version}: add it to ENCRYPTION_KEYS (or ENCRYPTION_KEY for version 1).`,
    );
  }
  return key;
}

/** The version new secrets are encrypted with (the highest configured). */
export function currentKeyVersion(): number {
  return keyring().current;
}

/** Every key version this instance can decrypt, ascending. */
export function keyVersions(): number[] {
  return [...keyring().keys.keys()].sort((a, b) => a - b);
}

/** Where a key version comes from, for messages to the operator. */
export function encryptionKeySource(version = currentKeyVersion()): string {
  return keyring().sources.get(version) ?? `key version ${version}`;
}

/** A fingerprint of one key version (an HMAC of a fixed label, from which the key cannot be recovered). */
export function encryptionKeyCheck(version = currentKeyVersion()): string {
  return createHmac("sha256", keyOf(version)).update("vaporform encryption key check v1").digest("hex");
}

/** Encrypts a secret into an envelope string under the current key version. */
export function encryptSecret(plaintext: string): string {
  const version = currentKeyVersion();
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(version), nonce);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `v${version}:${nonce.toString("base64")}:${body.toString("base64")}`;
}

/** Decrypts an envelope made by encryptSecret; throws on tampering or a key version this instance lacks. */
export function decryptSecret(envelope: string): string {
  const match = ENVELOPE.exec(envelope);
  if (!match) throw new Error("Not an encrypted value.");
  const [, version, nonce, payload] = match;
  const body = Buffer.from(payload ?? "", "base64");
  const decipher = createDecipheriv("aes-256-gcm", keyOf(Number(version)), Buffer.from(nonce ?? "", "base64"));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
}

/** The key version of an envelope, or null when `value` is not one. */
export function envelopeKeyVersion(value: string): number | null {
  const match = ENVELOPE.exec(value);
  return match ? Number(match[1]) : null;
}

/** Whether `value` has the form of an envelope made by encryptSecret. */
export function isEncrypted(value: string): boolean {
  return ENVELOPE.test(value);
}

/**
 * A key for one `purpose` (say, signing device tokens), derived from the oldest key held: one secret to keep, and a
 * key used for one thing only. The oldest, so that adding a key version does not change it; it changes (device
 * tokens are then re-issued at the next sign-in) only when that oldest key is retired after a rotation.
 */
export function derivedKey(purpose: string): Buffer {
  const oldest = keyVersions()[0] ?? currentKeyVersion();
  return createHmac("sha256", keyOf(oldest)).update(`vaporform:${purpose}`).digest();
}

/** What a browser may see of a secret: never the value, only a hint that one is set. */
export function maskSecret(plaintext: string): string {
  return plaintext.length <= 8 ? "••••••••" : `••••••••${plaintext.slice(-4)}`;
}
