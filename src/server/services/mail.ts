import nodemailer, { type Transporter } from "nodemailer";
import { devMailboxOpen, env } from "~/env";
import { isLoopback } from "~/server/client-ip";
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
 * Sends a mail. It is always recorded in `mail_outbox` first; with SMTP_URL set it is then sent and `sent_at` or
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
      textBody: options.text,
      htmlBody: options.html ?? null,
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
    await db.mailOutbox.update({ where: { id: mail.id }, data: { error: message.slice(0, 2000) }, select: { id: true } });
    return { id: mail.id, sent: false };
  }
}

/** The outbox, newest first, one page at a time (development mailbox and admin view). */
export async function listOutbox(options: { db: Database; page: number; pageSize?: number; toAddress?: string }) {
  const pageSize = options.pageSize ?? 20;
  const where = options.toAddress ? { toAddress: options.toAddress } : {};
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
  return { items, total, page: options.page, pageSize };
}

/**
 * The development mailbox: on an install without SMTP_URL the outbox is the only place its mails arrive, so anyone
 * may read it there. With SMTP_URL set mails reach real inboxes, and this answers FORBIDDEN (admins still read the
 * outbox with listOutbox).
 */
/**
 * The development mailbox of an install without SMTP: someone at the machine itself (a loopback address) reads
 * the whole outbox, as a developer would; anyone else only the mail addressed to the account they are signed in
 * to. A stranger can therefore never read another person's reset link.
 */
export async function listDevMailbox(options: {
  db: Database;
  page: number;
  pageSize?: number;
  ip: string;
  email: string | null;
}) {
  if (!devMailboxOpen) throw new AppError("FORBIDDEN", "The development mailbox is closed on this install.");
  if (isLoopback(options.ip)) return listOutbox(options);
  if (!options.email) {
    throw new AppError("UNAUTHORIZED", "Sign in to read the mail sent to you (or open this page on the server itself).");
  }
  return listOutbox({ ...options, toAddress: options.email });
}
