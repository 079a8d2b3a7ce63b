import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, maskSecret } from "~/server/crypto";

describe("secrets at rest", () => {
  it("round-trips a value through an AES-256-GCM envelope carrying the key version", () => {
    const envelope = encryptSecret("sk-live-1234567890");
    expect(envelope).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(envelope).not.toContain("sk-live");
    expect(decryptSecret(envelope)).toBe("sk-live-1234567890");
  });

  it("uses a fresh nonce for every value", () => {
    const nonces = new Set(Array.from({ length: 50 }, () => encryptSecret("same").split(":")[1]));
    expect(nonces.size).toBe(50);
  });

  it("refuses a tampered envelope", () => {
    const [version, nonce, body] = encryptSecret("secret").split(":");
    const bytes = Buffer.from(body ?? "", "base64");
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    expect(() => decryptSecret(`${version}:${nonce}:${bytes.toString("base64")}`)).toThrow();
    expect(() => decryptSecret("plain text")).toThrow(/Not an encrypted value/);
  });

  it("masks a secret for display", () => {
    expect(maskSecret("sk-live-1234567890")).toBe("••••••••7890");
    expect(maskSecret("short")).toBe("••••••••");
  });
});
