/** Account e-mail tokens (verification, password reset) and the mails that carry them. */
import { createHash, randomBytes } from "node:crypto";
import { env } from "~/env";
import type { Database } from "~/server/db/client";
import { sendMail } from "../mail";

export type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];
export type TokenPurpose = "verify_email" | "reset_password";

const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  verify_email: 24 * 60 * 60 * 1000,
  reset_password: 60 * 60 * 1000,
};
/** One mail of a kind per user per minute: a form clicked twice, or a script, must not flood an inbox. */
const MAIL_INTERVAL_SECONDS = 60;

/** Tokens are stored as their SHA-256 only: the mail holds the one usable copy. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Ends every unused token of `purpose` of the user: its links stop working. */
export async function revokeTokens(tx: Tx, userId: string, purpose: TokenPurpose): Promise<void> {
  await tx.authToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: new Date() } });
}

/**
 * Issues a token of `purpose` for `userId`, ending that user's earlier unused ones (only the latest link works).
 * Answers the token itself, to be mailed.
 */
export async function issueToken(tx: Tx, userId: string, purpose: TokenPurpose): Promise<string> {
  await revokeTokens(tx, userId, purpose);
  const token = randomBytes(32).toString("base64url");
  await tx.authToken.create({
    data: {
      userId,
      purpose,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + TOKEN_LIFETIME_MS[purpose]),
    },
    select: { id: true },
  });
  return token;
}

/**
 * Uses a token: marks it used in the same statement that checks it is unused and unexpired, so two concurrent
 * uses cannot both succeed. Answers the user it belongs to, or null.
 */
export async function consumeToken(tx: Tx, token: string, purpose: TokenPurpose): Promise<string | null> {
  const [row] = await tx.authToken.updateManyAndReturn({
    where: { tokenHash: hashToken(token), purpose, usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
    select: { userId: true },
  });
  return row?.userId ?? null;
}

/** Seconds until another mail of `purpose` may go to `userId` (0: now). */
export async function mailWait(db: Database | Tx, userId: string, purpose: TokenPurpose): Promise<number> {
  const latest = await db.authToken.findFirst({
    where: { userId, purpose },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  if (!latest) return 0;
  const elapsed = (Date.now() - latest.createdAt.getTime()) / 1000;
  return Math.max(0, Math.ceil(MAIL_INTERVAL_SECONDS - elapsed));
}

function appUrl(pathAndQuery: string): string {
  return `${(env.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "")}${pathAndQuery}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function mailVerification(
  db: Database,
  user: { id: string; email: string; fullName: string },
  token: string,
) {
  const link = appUrl(`/verify-email?token=${encodeURIComponent(token)}`);
  await sendMail({
    db,
    to: user.email,
    subject: "Confirm your e-mail address for Vaporform",
    text: `Hello ${user.fullName},\n\nConfirm your e-mail address by opening this link (valid for 24 hours):\n\n${link}\n\nIf you did not create a Vaporform account, ignore this mail.\n`,
    html: `<p>Hello ${escapeHtml(user.fullName)},</p><p>Confirm your e-mail address by opening this link (valid for 24 hours):</p><p><a href="${escapeHtml(link)}">Confirm my e-mail address</a></p><p>If you did not create a Vaporform account, ignore this mail.</p>`,
    purpose: "verify_email",
    userId: user.id,
  });
}

export async function mailPasswordReset(
  db: Database,
  user: { id: string; email: string; fullName: string },
  token: string,
) {
  const link = appUrl(`/reset-password?token=${encodeURIComponent(token)}`);
  await sendMail({
    db,
    to: user.email,
    subject: "Reset your Vaporform password",
    text: `Hello ${user.fullName},\n\nChoose a new password by opening this link (valid for 1 hour, usable once):\n\n${link}\n\nIf you did not ask for this, ignore this mail: your password stays as it is.\n`,
    html: `<p>Hello ${escapeHtml(user.fullName)},</p><p>Choose a new password by opening this link (valid for 1 hour, usable once):</p><p><a href="${escapeHtml(link)}">Reset my password</a></p><p>If you did not ask for this, ignore this mail: your password stays as it is.</p>`,
    purpose: "reset_password",
    userId: user.id,
  });
}
