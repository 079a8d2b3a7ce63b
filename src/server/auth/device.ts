/**
 * Device tokens (OWASP "Slow down online guessing attacks with device cookies"): a browser that signed in to an
 * account carries `<userId>.<nonce>.<expires>.<HMAC(userId.nonce.expires.sessionVersion)>` in the DEVICE_COOKIE. A
 * sign-in attempt that presents a valid token for the account it targets counts its failures against that token
 * only (src/server/auth/rate-limit.ts), so an attacker guessing from other browsers, whose failures back off the
 * account, never slows the owner's browser; a browser without one (a new one, or the attacker's) keeps the account's
 * back-off.
 *
 * A token is worth free guesses, so it must not outlive the credentials that earned it: the MAC covers the account's
 * session version, which a password change or reset (and every other "end all sessions") increments, so those kill
 * every token of the account; and it covers the expiry (`expires`, Unix seconds), so even an untouched token ends
 * after DEVICE_TOKEN_LIFETIME_SECONDS. Each successful sign-in replaces the account's token with a fresh one (new
 * nonce, new expiry), which also starts its failure count afresh. How many tokens of one account may guess at once is
 * bounded in rate-limit.ts (MAX_GUESSING_DEVICES).
 *
 * One cookie holds the tokens of the last few accounts signed in from the browser.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { derivedKey } from "~/server/crypto";

export const DEVICE_COOKIE = "vf-device";
/** Long enough that the owner's usual browsers stay trusted; the token is renewed at each sign-in. */
export const DEVICE_TOKEN_LIFETIME_SECONDS = 90 * 24 * 60 * 60;
/** Accounts remembered per browser: a shared machine may sign in to a few. */
const MAX_TOKENS = 5;
const TOKEN = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{22})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/;

let key: Buffer | undefined;

function mac(userId: string, nonce: string, expires: string, sessionVersion: number): string {
  return createHmac("sha256", (key ??= derivedKey("device-token")))
    .update(`${userId}.${nonce}.${expires}.${sessionVersion}`)
    .digest("base64url");
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The token's fields if it is well formed and unexpired (its MAC is not checked: that needs the session version). */
function parse(token: string): { userId: string; deviceId: string; expires: string; signature: string } | null {
  const match = TOKEN.exec(token);
  if (!match) return null;
  const [, userId = "", deviceId = "", expires = "", signature = ""] = match;
  return Number(expires) > nowSeconds() ? { userId, deviceId, expires, signature } : null;
}

/**
 * The id of the valid device token for `userId` in the cookie's value, or null (no cookie, none for this account,
 * expired, issued before the account's `sessionVersion`, or forged). The id is the token's nonce: what failures are
 * counted against.
 */
export function trustedDeviceId(
  cookieValue: string | undefined,
  userId: string,
  sessionVersion: number,
): string | null {
  for (const token of cookieValue?.split("~") ?? []) {
    const parsed = parse(token);
    if (parsed?.userId !== userId) continue;
    const expected = Buffer.from(mac(userId, parsed.deviceId, parsed.expires, sessionVersion));
    const given = Buffer.from(parsed.signature);
    if (expected.length === given.length && timingSafeEqual(expected, given)) return parsed.deviceId;
  }
  return null;
}

/**
 * The cookie's next value after `userId` (at `sessionVersion`) signed in: a fresh token for it first, then the
 * unexpired tokens of other accounts (their MACs are checked when they are used), at most MAX_TOKENS.
 */
export function renewDeviceCookie(cookieValue: string | undefined, userId: string, sessionVersion: number): string {
  const nonce = randomBytes(16).toString("base64url");
  const expires = String(nowSeconds() + DEVICE_TOKEN_LIFETIME_SECONDS);
  const others = (cookieValue?.split("~") ?? []).filter((token) => {
    const parsed = parse(token);
    return parsed && parsed.userId !== userId;
  });
  return [`${userId}.${nonce}.${expires}.${mac(userId, nonce, expires, sessionVersion)}`, ...others]
    .slice(0, MAX_TOKENS)
    .join("~");
}
