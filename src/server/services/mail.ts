import nodemailer, { type Transporter } from "nodemailer";
import { devMailboxOpen, env } from "~/env";
import { decryptSecret, encryptSecret, isEncrypted } from "~/server/crypto";
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";

/** What a mail is for: shown in the outbox, and lets tests and admins tell mails apart. */
export type MailPurpose = "verify_email" | "reset_password";

let transporter: Transporter | undefined;

/** One SMTP transport per process (it pools connections); created on first use. */
function smtp(url: string): Transporter {
  return (transporter ??= nodemailer.createTransport(url));
}

/**
 * Sends a mail. It is always recorded in `mail_outbox` first, its bodies encrypted with the app's key (they hold
 * working links: a copy of the database must not); with SMTP_URL set it is then sent and `sent_at` or
 * `error` recorded. A failed delivery is logged and recorded, never thrown: the action that mailed (a sign-up, a
 * reset request) has happened, and the user can ask again.
 */
export async function sendMail(options: {
  db: Database;
  to: string;
  subject: string;
  text: string;
  html?: string;
  purpose: MailPurpose;
  userId?: string | null;
}): Promise<{ id: string; sent: boolean }> {
  const { db } = options;
  const mail = await db.mailOutbox.create({
    data: {
      toAddress: options.to,
      subject: options.subject,
      textBody: encryptSecret(options.text),
      htmlBody: options.html === undefined ? null : encryptSecret(options.html),
      purpose: options.purpose,
      userId: options.userId ?? null,
    },
    select: { id: true },
  });
  if (!env.SMTP_URL) return { id: mail.id, sent: false };

  try {
    await smtp(env.SMTP_URL).sendMail({
      from: env.MAIL_FROM,
      to: options.to,
      subject: options.subject,
      text: options.text,
      html: options.html,
    });
    await db.mailOutbox.update({ where: { id: mail.id }, data: { sentAt: new Date() }, select: { id: true } });
    return { id: mail.id, sent: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`[mail] sending ${options.purpose} mail ${mail.id} failed: ${message}`);
    await db.mailOutbox.update({
      where: { id: mail.id },
      data: { error: message.slice(0, 2000) },
      select: { id: true },
    });
    return { id: mail.id, sent: false };
  }
}

/** A stored body as written; mails from before bodies were encrypted are kept in clear, their links removed. */
function readBody(stored: string): string {
  if (!isEncrypted(stored)) return stored;
  try {
    return decryptSecret(stored);
  } catch {
    return "(This message was encrypted with another ENCRYPTION_KEY and cannot be read.)";
  }
}

/** The outbox, newest first, one page at a time: all of it, or the mail of one user to its current address. */
export async function listOutbox(options: {
  db: Database;
  page: number;
  pageSize?: number;
  recipient?: { userId: string; email: string };
}) {
  const pageSize = options.pageSize ?? 20;
  // Both: mail to an address the user no longer has, or sent to this address before the account existed, is not theirs.
  const where = options.recipient ? { userId: options.recipient.userId, toAddress: options.recipient.email } : {};
  const [items, total] = await Promise.all([
    options.db.mailOutbox.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (options.page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true,
        toAddress: true,
        subject: true,
        textBody: true,
        purpose: true,
        createdAt: true,
        sentAt: true,
        error: true,
      },
    }),
    options.db.mailOutbox.count({ where }),
  ]);
  return {
    items: items.map((mail) => ({ ...mail, textBody: readBody(mail.textBody) })),
    total,
    page: options.page,
    pageSize,
  };
}

/**
 * The mailbox page (`/mailbox`): an admin reads the whole outbox; on an install without SMTP (the development
 * mailbox, see DEV_MAILBOX) a signed-in user reads the mail sent to their own address, which is how sign-up works
 * before mail is set up; anyone else reads nothing. Nothing depends on the client's network address: behind a
 * reverse proxy on the same host every visitor would come from the loopback. The caller is signed in.
 */
export async function listMailbox(options: {
  db: Database;
  page: number;
  pageSize?: number;
  user: { id: string; email: string; role: "user" | "admin" };
}) {
  const { user } = options;
  if (user.role === "admin") return listOutbox(options);
  if (!devMailboxOpen) throw new AppError("FORBIDDEN", "Mail is delivered to your own inbox on this install.");
  return listOutbox({ ...options, recipient: { userId: user.id, email: user.email } });
}
