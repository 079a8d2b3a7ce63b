/**
 * Device tokens (OWASP "Slow down online guessing attacks with device cookies"): a browser that signed in to an
 * account carries `<userId>.<nonce>.<HMAC(userId.nonce)>` in the DEVICE_COOKIE. A sign-in attempt that presents a
 * valid token for the account it targets counts its failures against that token only (src/server/auth/rate-limit.ts),
 * so an attacker guessing from other browsers, whose failures back off the account, never slows the owner's
 * browser; a browser without one (a new one, or the attacker's) keeps the account's back-off.
 *
 * One cookie holds the tokens of the last few accounts signed in from the browser. Each successful sign-in replaces
 * the account's token with a new nonce, which also starts its failure count afresh.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { derivedKey } from "~/server/crypto";

export const DEVICE_COOKIE = "vf-device";
/** Long enough that the owner's usual browsers stay trusted; the token is renewed at each sign-in. */
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
/** Accounts remembered per browser: a shared machine may sign in to a few. */
const MAX_TOKENS = 5;
const TOKEN = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

let key: Buffer | undefined;

function mac(userId: string, nonce: string): string {
  return createHmac("sha256", (key ??= derivedKey("device-token"))).update(`${userId}.${nonce}`).digest("base64url");
}

function parse(token: string): { userId: string; deviceId: string; valid: boolean } | null {
  const match = TOKEN.exec(token);
  if (!match) return null;
  const [, userId = "", deviceId = "", signature = ""] = match;
  const expected = Buffer.from(mac(userId, deviceId));
  const given = Buffer.from(signature);
  return { userId, deviceId, valid: expected.length === given.length && timingSafeEqual(expected, given) };
}

/**
 * The id of the valid device token for `userId` in the cookie's value, or null (no cookie, none for this account,
 * or forged). The id is the token's nonce: what failures are counted against.
 */
export function trustedDeviceId(cookieValue: string | undefined, userId: string): string | null {
  for (const token of cookieValue?.split("~") ?? []) {
    const parsed = parse(token);
    if (parsed?.valid && parsed.userId === userId) return parsed.deviceId;
  }
  return null;
}

/**
 * The cookie's next value after `userId` signed in: a new token for it first, then the still valid tokens of other
 * accounts, at most MAX_TOKENS.
 */
export function renewDeviceCookie(cookieValue: string | undefined, userId: string): string {
  const nonce = randomBytes(16).toString("base64url");
  const others = (cookieValue?.split("~") ?? []).filter((token) => {
    const parsed = parse(token);
    return parsed?.valid && parsed.userId !== userId;
  });
  return [`${userId}.${nonce}.${mac(userId, nonce)}`, ...others].slice(0, MAX_TOKENS).join("~");
}
