import {
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  WEBHOOK_EVENT_HEADER,
  type TIntegrationTestResult,
} from "~/lib/schemas/integration";
import { decryptSecret } from "~/server/crypto";
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { OutboundError, outboundRequest } from "~/server/net/outbound";
import { findIntegration, presentIntegration } from "./manage";
import { signWebhook } from "./signature";

const TEST_TIMEOUT_MS = 5000;
/** Read of the answer at most; the rest is never downloaded. */
const MAX_RESPONSE_BYTES = 64 * 1024;
/** Kept of the answer in last_test_result, for the user to see. */
const PREVIEW_CHARS = 500;

/** The test request's body: Slack's incoming webhooks want `text`; everyone else gets a small event. */
function testPayload(options: {
  serviceType: string;
  serviceName: string;
  projectName: string;
  integrationId: string;
}) {
  if (options.serviceType === "slack") {
    return { text: `Vaporform test message from the project "${options.projectName}" (${options.serviceName}).` };
  }
  return {
    event: "vaporform.test",
    integrationId: options.integrationId,
    project: options.projectName,
    sentAt: new Date().toISOString(),
  };
}

/**
 * Calls the integration's endpoint once (through the outbound guard: public addresses only unless the install
 * allows private ones, 5 s, 64 KiB read, no redirects followed) and records the result, the time, and the request and
 * error counters. A failure of the endpoint is a result, not an error of this call; a refused address is one too,
 * so the user sees why in the list.
 */
export async function testIntegration(options: {
  db: Database;
  projectId: string;
  projectName: string;
  integrationId: string;
}) {
  const integration = await findIntegration(options.db, options.projectId, options.integrationId);
  const configuration = presentIntegration(integration).configuration;
  if (!configuration.endpointUrl) {
    throw new AppError("PRECONDITION_FAILED", "Set an endpoint URL before testing the integration.");
  }
  const headers: Record<string, string> = {};
  for (const header of configuration.headers) headers[header.name] = header.value;
  if (integration.apiKeyEncrypted && !Object.keys(headers).some((name) => name.toLowerCase() === "authorization")) {
    headers.Authorization = `Bearer ${decryptSecret(integration.apiKeyEncrypted)}`;
  }
  const sendsBody = configuration.method !== "GET";
  const body = sendsBody
    ? JSON.stringify(
        testPayload({
          serviceType: integration.serviceType,
          serviceName: integration.serviceName,
          projectName: options.projectName,
          integrationId: integration.id,
        }),
      )
    : undefined;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  // Signed like an inbound delivery, so the receiving end can check it came from us.
  if (integration.webhookSecretEncrypted) {
    const timestamp = Math.floor(Date.now() / 1000);
    headers[WEBHOOK_TIMESTAMP_HEADER] = String(timestamp);
    headers[WEBHOOK_SIGNATURE_HEADER] = signWebhook(
      decryptSecret(integration.webhookSecretEncrypted),
      timestamp,
      body ?? "",
    );
  }
  headers[WEBHOOK_EVENT_HEADER] = "vaporform.test";

  let result: TIntegrationTestResult;
  const started = Date.now();
  try {
    const response = await outboundRequest(configuration.endpointUrl, {
      method: configuration.method,
      headers,
      body,
      timeoutMs: TEST_TIMEOUT_MS,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      maxRedirects: 0,
    });
    const ok = response.status >= 200 && response.status < 300;
    result = {
      ok,
      status: response.status,
      durationMs: response.durationMs,
      error: ok ? null : `The endpoint answered HTTP ${response.status}.`,
      bodyPreview: response.body.toString("utf8").slice(0, PREVIEW_CHARS),
      truncated: response.truncated || response.body.length > PREVIEW_CHARS,
    };
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    result = {
      ok: false,
      status: null,
      durationMs: Date.now() - started,
      error: error.message,
      bodyPreview: "",
      truncated: false,
    };
  }

  const now = new Date();
  const updated = await options.db.projectIntegration.update({
    where: { id: integration.id, projectId: options.projectId },
    data: {
      lastTestResult: result,
      lastTestedAt: now,
      requestCount: { increment: 1 },
      lastRequestAt: now,
      ...(result.ok ? {} : { errorCount: { increment: 1 }, lastErrorAt: now }),
    },
    select: { id: true },
  });
  return { id: updated.id, result };
}
