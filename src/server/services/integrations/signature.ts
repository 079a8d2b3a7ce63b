import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * The webhook signature: `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`, the timestamp in Unix
 * seconds sent beside it. Signing the timestamp with the body is what makes an old delivery unusable later.
 */
export function signWebhook(secret: string, timestamp: number | string, body: Uint8Array | string): string {
  const mac = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
  return `sha256=${mac}`;
}

/** Whether `header` is the signature of (timestamp, body) under `secret`, compared in constant time. */
export function verifyWebhookSignature(secret: string, timestamp: string, body: Uint8Array, header: string): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body).slice("sha256=".length), "hex");
  const given = Buffer.from(match[1]!.toLowerCase(), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** What is kept of a signature to spot its reuse (the signature itself could be replayed from a leaked table). */
export function signatureHash(header: string): string {
  return createHash("sha256").update(header.trim().toLowerCase()).digest("hex");
}
