import { describe, expect, it } from "vitest";
import { POST } from "~/app/api/webhooks/[integrationId]/route";
import { receiveWebhook, signWebhook, WebhookRefusal } from "~/server/services/integrations";
import { db } from "~/server/db/client";
import { newProject, signedInUser } from "../files/support";
import { pool } from "../db";

const SECRET = "whsec-0123456789abcdef";

async function integrationWithSecret(options: { isActive?: boolean; webhookSecret?: string | null } = {}) {
  const { api } = await signedInUser();
  const projectId = await newProject(api);
  const { id } = await api.integration.create({
    projectId,
    serviceName: "Inbound",
    serviceType: "webhook",
    ...(options.webhookSecret === null ? {} : { webhookSecret: options.webhookSecret ?? SECRET }),
    isActive: options.isActive ?? true,
  });
  return { api, projectId, id };
}

/** Calls the route handler as Next does, with a body and headers. */
async function deliver(
  id: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await POST(new Request(`http://localhost/api/webhooks/${id}`, { method: "POST", body, headers }), {
    params: Promise.resolve({ integrationId: id }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function signed(body: string, timestamp = Math.floor(Date.now() / 1000), secret = SECRET) {
  return {
    "X-Vaporform-Timestamp": String(timestamp),
    "X-Vaporform-Signature": signWebhook(secret, timestamp, body),
    "Content-Type": "application/json",
  };
}

async function webhookState(projectId: string, integrationId: string) {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*)::int FROM project_activity WHERE project_id = $1 AND source_type = 'webhook') AS activity,
            (SELECT count(*)::int FROM webhook_deliveries WHERE integration_id = $2) AS deliveries,
            (SELECT request_count FROM project_integrations WHERE id = $2) AS requests`,
    [projectId, integrationId],
  );
  return rows[0] as { activity: number; deliveries: number; requests: number };
}

describe("the inbound webhook", () => {
  it("accepts a signed delivery, logs it as webhook activity and counts it", async () => {
    const { api, projectId, id } = await integrationWithSecret();
    const body = JSON.stringify({ event: "deploy.finished", status: "green" });
    const answer = await deliver(id, body, signed(body));
    expect(answer).toEqual({ status: 202, json: { received: true, event: "deploy.finished" } });

    const { rows } = await pool.query(
      `SELECT activity_type, description, source_type, source_id, user_id, metadata FROM project_activity
        WHERE project_id = $1 AND source_type = 'webhook'`,
      [projectId],
    );
    expect(rows).toEqual([
      {
        activity_type: "webhook_received",
        description: 'Webhook "deploy.finished" received by Inbound',
        source_type: "webhook",
        source_id: id,
        user_id: null,
        metadata: expect.objectContaining({
          event: "deploy.finished",
          integrationId: id,
          body: { event: "deploy.finished", status: "green" },
          bodyBytes: body.length,
          bodyTruncated: false,
        }),
      },
    ]);
    const activity = await api.activity.list({ projectId });
    expect(activity.items[0]).toMatchObject({ activityType: "webhook_received", sourceType: "webhook" });
    const [listed] = await api.integration.list({ projectId });
    expect(listed?.requestCount).toBe(1);
    expect(listed?.lastRequestAt).toBeInstanceOf(Date);

    // The event header wins over the body; a non-JSON body is kept as text.
    const text = "plain text payload";
    const second = await deliver(id, text, { ...signed(text), "X-Vaporform-Event": "ping" });
    expect(second.json.event).toBe("ping");
  });

  it("refuses a missing or wrong signature, a stale timestamp and a replay, and changes nothing", async () => {
    const { projectId, id } = await integrationWithSecret();
    const body = '{"event":"x"}';
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[Record<string, string>, number, string]> = [
      [{}, 401, "missing_signature"],
      [{ "X-Vaporform-Signature": signWebhook(SECRET, now, body) }, 401, "missing_timestamp"],
      [{ ...signed(body), "X-Vaporform-Signature": "sha256=" + "0".repeat(64) }, 401, "bad_signature"],
      [{ ...signed(body), "X-Vaporform-Signature": "not a signature" }, 401, "bad_signature"],
      [signed(body, now, "another-secret-of-16+"), 401, "bad_signature"],
      [signed(body, now - 400), 401, "stale_timestamp"],
      [signed(body, now + 400), 401, "stale_timestamp"],
      // Signed for another body.
      [signed('{"event":"y"}', now), 401, "bad_signature"],
    ];
    for (const [headers, status, code] of cases) {
      const answer = await deliver(id, body, headers);
      expect(answer.status, code).toBe(status);
      expect(answer.json.code).toBe(code);
      expect(typeof answer.json.error).toBe("string");
    }
    expect(await webhookState(projectId, id)).toEqual({ activity: 0, deliveries: 0, requests: 0 });

    const headers = signed(body);
    expect((await deliver(id, body, headers)).status).toBe(202);
    const replay = await deliver(id, body, headers);
    expect(replay).toEqual({
      status: 409,
      json: { code: "replayed", error: expect.stringMatching(/already received/) },
    });
    expect(await webhookState(projectId, id)).toEqual({ activity: 1, deliveries: 1, requests: 1 });
  });

  it("answers 410 for a disabled integration, 404 for an unknown one or one without a secret", async () => {
    const disabled = await integrationWithSecret({ isActive: false });
    const body = "{}";
    expect((await deliver(disabled.id, body, signed(body))).status).toBe(410);
    const noSecret = await integrationWithSecret({ webhookSecret: null });
    expect((await deliver(noSecret.id, body, signed(body))).status).toBe(404);
    expect((await deliver("00000000-0000-4000-8000-000000000000", body, signed(body))).status).toBe(404);
    expect((await deliver("not-a-uuid", body, signed(body))).status).toBe(404);
    expect(await webhookState(disabled.projectId, disabled.id)).toEqual({ activity: 0, deliveries: 0, requests: 0 });
  });

  it("refuses a body over 1 MiB", async () => {
    const { projectId, id } = await integrationWithSecret();
    const body = "x".repeat(1024 * 1024 + 1);
    const answer = await deliver(id, body, signed(body));
    expect(answer.status).toBe(413);
    expect(await webhookState(projectId, id)).toEqual({ activity: 0, deliveries: 0, requests: 0 });
  });

  it("keeps at most 8 KiB of a large body in the activity entry", async () => {
    const { projectId, id } = await integrationWithSecret();
    const body = JSON.stringify({ event: "big", data: "y".repeat(20_000) });
    expect((await deliver(id, body, signed(body))).status).toBe(202);
    const { rows } = await pool.query<{ metadata: { body: string; bodyTruncated: boolean } }>(
      "SELECT metadata FROM project_activity WHERE project_id = $1 AND source_type = 'webhook'",
      [projectId],
    );
    expect(rows[0]?.metadata.bodyTruncated).toBe(true);
    expect(rows[0]?.metadata.body.length).toBe(8192);
  });

  it("accepts a timestamp exactly five minutes off, and refuses one a second more", async () => {
    const { id } = await integrationWithSecret();
    const body = Buffer.from("{}");
    const at = 1_900_000_000;
    const attempt = (offset: number) =>
      receiveWebhook({
        db,
        integrationId: id,
        timestamp: String(at),
        signature: signWebhook(SECRET, at, body),
        event: null,
        body,
        now: new Date((at + offset) * 1000),
      });
    await expect(attempt(301)).rejects.toMatchObject({ status: 401, code: "stale_timestamp" });
    await expect(attempt(-301)).rejects.toBeInstanceOf(WebhookRefusal);
    await expect(attempt(300)).resolves.toEqual({ received: true, event: "webhook" });
  });
});
