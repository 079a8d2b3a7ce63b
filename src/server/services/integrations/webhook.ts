import { Prisma } from "~/generated/prisma/client";
import { WEBHOOK_TOLERANCE_SECONDS } from "~/lib/schemas/integration";
import { decryptSecret } from "~/server/crypto";
import type { Database } from "~/server/db/client";
import { isUniqueViolation } from "~/server/db/errors";
import { signatureHash, verifyWebhookSignature } from "./signature";

/** Kept of a delivery's body in the activity entry. */
const STORED_BODY_CHARS = 8 * 1024;

/** Why a delivery was refused: the HTTP status and a message for the sender. Nothing is recorded for these. */
export class WebhookRefusal extends Error {
  override name = "WebhookRefusal";
  constructor(
    readonly status: 400 | 401 | 404 | 409 | 410 | 413 | 503,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The event's name: the header, else the body's `event`, `type` or `action`, else "webhook". */
function eventName(header: string | null, json: unknown): string {
  const fromBody =
    json && typeof json === "object" && !Array.isArray(json)
      ? ["event", "type", "action"]
          .map((key) => (json as Record<string, unknown>)[key])
          .find((value) => typeof value === "string")
      : undefined;
  const name = (header ?? (fromBody as string | undefined) ?? "webhook").trim();
  return name.replace(/[\p{Cc}\p{Cf}]/gu, "").slice(0, 100) || "webhook";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Accepts one inbound delivery for an integration: the integration exists and is active, the timestamp is within
 * five minutes of now, the signature is the HMAC of "<timestamp>.<body>" under the integration's webhook secret,
 * and the same signature was not accepted before. Then, in one transaction: the signature is remembered (its
 * primary key is what refuses a concurrent replay), the activity entry is written with source `webhook`, and the
 * integration's request counter moves. A refusal changes nothing.
 */
export async function receiveWebhook(options: {
  db: Database;
  integrationId: string;
  timestamp: string | null;
  signature: string | null;
  event: string | null;
  body: Uint8Array;
  now?: Date;
}): Promise<{ received: true; event: string }> {
  const now = options.now ?? new Date();
  const integration = await options.db.projectIntegration.findUnique({
    where: { id: options.integrationId },
    select: { id: true, projectId: true, serviceName: true, isActive: true, webhookSecretEncrypted: true },
  });
  if (!integration) throw new WebhookRefusal(404, "not_found", "No such webhook.");
  if (integration.isActive === false) throw new WebhookRefusal(410, "disabled", "This integration is disabled.");
  if (!integration.webhookSecretEncrypted) {
    throw new WebhookRefusal(404, "no_secret", "This integration has no webhook secret, so it accepts no webhooks.");
  }
  if (!options.signature)
    throw new WebhookRefusal(401, "missing_signature", "The X-Vaporform-Signature header is missing.");
  if (!options.timestamp || !/^\d{1,12}$/.test(options.timestamp)) {
    throw new WebhookRefusal(
      401,
      "missing_timestamp",
      "The X-Vaporform-Timestamp header (Unix seconds) is missing or malformed.",
    );
  }
  const skew = Math.abs(now.getTime() / 1000 - Number(options.timestamp));
  if (skew > WEBHOOK_TOLERANCE_SECONDS) {
    throw new WebhookRefusal(
      401,
      "stale_timestamp",
      `The timestamp is more than ${WEBHOOK_TOLERANCE_SECONDS / 60} minutes from the server's clock: sign each delivery when you send it.`,
    );
  }
  let secret: string;
  try {
    secret = decryptSecret(integration.webhookSecretEncrypted);
  } catch {
    // A key version this instance lacks: the operator's problem, not the sender's; nothing is recorded.
    console.error(
      `[webhooks] the secret of integration ${integration.id} cannot be decrypted with the configured keys`,
    );
    throw new WebhookRefusal(503, "unavailable", "This webhook cannot be verified right now; try again later.");
  }
  if (!verifyWebhookSignature(secret, options.timestamp, options.body, options.signature)) {
    throw new WebhookRefusal(
      401,
      "bad_signature",
      'The signature does not match: sign "<timestamp>.<body>" with HMAC-SHA256 and the webhook secret.',
    );
  }

  const text = Buffer.from(options.body).toString("utf8");
  const json = parseJson(text);
  const event = eventName(options.event, json);
  const stored = text.length > STORED_BODY_CHARS ? text.slice(0, STORED_BODY_CHARS) : text;
  const windowStart = new Date(now.getTime() - WEBHOOK_TOLERANCE_SECONDS * 2000);
  try {
    await options.db.$transaction(async (tx) => {
      await tx.webhookDelivery.deleteMany({
        where: { integrationId: integration.id, receivedAt: { lt: windowStart } },
      });
      await tx.webhookDelivery.create({
        data: { integrationId: integration.id, signatureHash: signatureHash(options.signature!), receivedAt: now },
        select: { integrationId: true },
      });
      await tx.projectActivity.create({
        data: {
          projectId: integration.projectId,
          userId: null,
          activityType: "webhook_received",
          description: `Webhook "${event}" received by ${integration.serviceName}`,
          metadata: {
            integrationId: integration.id,
            serviceName: integration.serviceName,
            event,
            bodyBytes: options.body.length,
            // JSON bodies that fit are kept as JSON (queryable); anything else as bounded text.
            body: json !== undefined && stored === text ? (json as Prisma.InputJsonValue) : stored,
            bodyTruncated: stored !== text,
          },
          sourceType: "webhook",
          sourceId: integration.id,
        },
        select: { id: true },
      });
      await tx.projectIntegration.update({
        where: { id: integration.id },
        data: { requestCount: { increment: 1 }, lastRequestAt: now },
        select: { id: true },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new WebhookRefusal(
        409,
        "replayed",
        "This delivery was already received (same signature): send each one once.",
      );
    }
    throw error;
  }
  return { received: true, event };
}
