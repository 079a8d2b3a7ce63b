import { WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from "~/lib/schemas/integration";
import { db } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { readBodyWithin, webhookBodyLimit } from "~/server/http-limits";
import { receiveWebhook, WebhookRefusal } from "~/server/services/integrations";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An integration's inbound webhook: anyone may POST, and the signature decides (README, "Webhooks"). No session and
 * no CSRF token: the sender is a server, and the HMAC over timestamp and body is its proof. Refusals answer
 * `{ error, code }` with 400/401/404/409/410/413 and change nothing.
 */
export async function POST(request: Request, { params }: { params: Promise<{ integrationId: string }> }) {
  const { integrationId } = await params;
  if (!UUID.test(integrationId)) return refusal(new WebhookRefusal(404, "not_found", "No such webhook."));
  try {
    const body = await readBodyWithin(request, webhookBodyLimit());
    const result = await receiveWebhook({
      db,
      integrationId,
      timestamp: request.headers.get(WEBHOOK_TIMESTAMP_HEADER),
      signature: request.headers.get(WEBHOOK_SIGNATURE_HEADER),
      event: request.headers.get(WEBHOOK_EVENT_HEADER),
      body,
    });
    return Response.json(result, { status: 202 });
  } catch (error) {
    if (error instanceof WebhookRefusal) return refusal(error);
    if (error instanceof AppError && error.code === "PAYLOAD_TOO_LARGE") {
      return Response.json({ error: error.message, code: "too_large" }, { status: 413 });
    }
    throw error;
  }
}

function refusal(error: WebhookRefusal): Response {
  return Response.json({ error: error.message, code: error.code }, { status: error.status });
}
