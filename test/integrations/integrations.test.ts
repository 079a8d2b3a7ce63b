import { describe, expect, it } from "vitest";
import { env } from "~/env";
import { decryptSecret } from "~/server/crypto";
import { expectFailure, newProject, signedInUser } from "../files/support";
import { pool } from "../db";
import { fakeEndpoint } from "./support";

const API_KEY = "sk-live-abcdefghijklmnop1234";
const SECRET = "whsec-0123456789abcdef";

async function storedRow(id: string) {
  const { rows } = await pool.query(
    `SELECT api_key_encrypted, webhook_secret_encrypted, key_version, is_active, is_configured, configuration,
            last_test_result, last_tested_at, request_count, error_count, last_error_at, last_request_at
       FROM project_integrations WHERE id = $1`,
    [id],
  );
  return rows[0] as Record<string, unknown>;
}

describe("integration.create / list / update / delete", () => {
  it("stores the key and secret encrypted, never answers them, and lists them masked", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const created = await api.integration.create({
      projectId,
      serviceName: "Deploy hook",
      serviceType: "webhook",
      configuration: {
        endpointUrl: "https://hooks.example.com/deploy",
        method: "POST",
        headers: [{ name: "X-Team", value: "core" }],
      },
      apiKey: API_KEY,
      webhookSecret: SECRET,
    });
    expect(created.apiKey).toBe("••••••••1234");
    expect(created.webhookSecret).toBe("••••••••cdef");
    expect(created.webhookPath).toBe(`/api/webhooks/${created.id}`);
    expect(created.isConfigured).toBe(true);
    expect(created.isActive).toBe(true);

    const listed = await api.integration.list({ projectId });
    expect(listed).toHaveLength(1);
    const everything = JSON.stringify(listed) + JSON.stringify(created);
    expect(everything).not.toContain(API_KEY);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain("api_key_encrypted");

    const row = await storedRow(created.id);
    expect(row.api_key_encrypted).toMatch(/^v1:/);
    expect(decryptSecret(row.api_key_encrypted as string)).toBe(API_KEY);
    expect(decryptSecret(row.webhook_secret_encrypted as string)).toBe(SECRET);
    expect(row.key_version).toBe(1);
  });

  it("replaces, keeps and clears secrets, and disables", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const { id } = await api.integration.create({
      projectId,
      serviceName: "Slack",
      serviceType: "slack",
      apiKey: API_KEY,
      webhookSecret: SECRET,
    });
    const before = await storedRow(id);

    const renamed = await api.integration.update({ projectId, integrationId: id, serviceName: "Slack #dev" });
    expect(renamed.serviceName).toBe("Slack #dev");
    expect((await storedRow(id)).api_key_encrypted).toBe(before.api_key_encrypted);

    const replaced = await api.integration.update({ projectId, integrationId: id, apiKey: "new-key-9999-zzzz" });
    expect(replaced.apiKey).toBe("••••••••zzzz");
    expect(decryptSecret((await storedRow(id)).api_key_encrypted as string)).toBe("new-key-9999-zzzz");

    const cleared = await api.integration.update({ projectId, integrationId: id, apiKey: null, isActive: false });
    expect(cleared.apiKey).toBeNull();
    expect(cleared.webhookSecret).toBe("••••••••cdef");
    expect(cleared.isActive).toBe(false);
    expect((await storedRow(id)).api_key_encrypted).toBeNull();

    await api.integration.delete({ projectId, integrationId: id });
    expect(await api.integration.list({ projectId })).toEqual([]);
    await expectFailure(api.integration.delete({ projectId, integrationId: id }), "NOT_FOUND");
  });

  it("refuses bad input with a clear error and changes nothing", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const base = { projectId, serviceName: "Hook", serviceType: "webhook" as const };
    await expectFailure(
      api.integration.create({
        ...base,
        configuration: { endpointUrl: "ftp://example.com/x", method: "POST", headers: [] },
      }),
      "BAD_REQUEST",
      /http:\/\/ or https:\/\//,
    );
    await expectFailure(
      api.integration.create({
        ...base,
        configuration: { endpointUrl: "javascript:alert(1)", method: "POST", headers: [] },
      }),
      "BAD_REQUEST",
    );
    await expectFailure(
      api.integration.create({
        ...base,
        configuration: { endpointUrl: "https://user:pw@example.com", method: "POST", headers: [] },
      }),
      "BAD_REQUEST",
      /credentials/,
    );
    await expectFailure(
      api.integration.create({ ...base, serviceName: "x".repeat(101) }),
      "BAD_REQUEST",
      /at most 100/,
    );
    await expectFailure(api.integration.create({ ...base, serviceName: "   " }), "BAD_REQUEST", /Enter a name/);
    await expectFailure(api.integration.create({ ...base, webhookSecret: "short" }), "BAD_REQUEST", /at least 16/);
    await expectFailure(
      api.integration.create({
        ...base,
        configuration: {
          method: "POST",
          headers: Array.from({ length: 21 }, (_, i) => ({ name: `X-H${i}`, value: "v" })),
        },
      }),
      "BAD_REQUEST",
      /at most 20 headers/,
    );
    await expectFailure(
      api.integration.create({
        ...base,
        configuration: { method: "POST", headers: [{ name: "Host", value: "evil" }] },
      }),
      "BAD_REQUEST",
      /set by Vaporform/,
    );
    await expectFailure(
      api.integration.create({
        ...base,
        configuration: { method: "POST", headers: [{ name: "X-A", value: "a\r\nb: c" }] },
      }),
      "BAD_REQUEST",
      /line breaks/,
    );
    await expectFailure(
      // @ts-expect-error: an unknown type is refused
      api.integration.create({ ...base, serviceType: "ftp" }),
      "BAD_REQUEST",
    );
    expect(await api.integration.list({ projectId })).toEqual([]);

    await api.integration.create(base);
    await expectFailure(api.integration.create(base), "CONFLICT", /already has an integration named "Hook"/);
    expect(await api.integration.list({ projectId })).toHaveLength(1);
  });

  it("answers NOT_FOUND for an integration of another project", async () => {
    const { api } = await signedInUser();
    const mine = await newProject(api);
    const other = await newProject(api);
    const { id } = await api.integration.create({ projectId: mine, serviceName: "A", serviceType: "http" });
    await expectFailure(api.integration.update({ projectId: other, integrationId: id, serviceName: "B" }), "NOT_FOUND");
    await expectFailure(api.integration.test({ projectId: other, integrationId: id }), "NOT_FOUND");
    await expectFailure(api.integration.delete({ projectId: other, integrationId: id }), "NOT_FOUND");
    expect((await api.integration.list({ projectId: mine }))[0]?.serviceName).toBe("A");
  });
});

describe("integration.test", () => {
  it("calls the endpoint with the key, signs the call, and records the result and counters", async () => {
    const endpoint = await fakeEndpoint();
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const { id } = await api.integration.create({
      projectId,
      serviceName: "CI",
      serviceType: "http",
      configuration: {
        endpointUrl: `${endpoint.url}/hook`,
        method: "POST",
        headers: [{ name: "X-Team", value: "core" }],
      },
      apiKey: API_KEY,
      webhookSecret: SECRET,
    });
    const { result } = await api.integration.test({ projectId, integrationId: id });
    expect(result).toMatchObject({ ok: true, status: 200, error: null, bodyPreview: '{"ok":true}' });
    const request = endpoint.received.at(-1)!;
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.headers["x-team"]).toBe("core");
    expect(request.headers["x-vaporform-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(JSON.parse(request.body)).toMatchObject({ event: "vaporform.test", integrationId: id });

    const row = await storedRow(id);
    expect(row).toMatchObject({ request_count: 1, error_count: 0, last_error_at: null });
    expect(row.last_tested_at).toBeInstanceOf(Date);
    const [listed] = await api.integration.list({ projectId });
    expect(listed?.lastTestResult?.ok).toBe(true);
    expect(listed?.requestCount).toBe(1);
  });

  it("records an endpoint's failure, a timeout and an oversized answer as results", async () => {
    const endpoint = await fakeEndpoint((request, response) => {
      if (request.url === "/fail") {
        response.writeHead(500);
        response.end("boom");
      } else if (request.url === "/slow") {
        setTimeout(() => response.end("late"), 7000);
      } else if (request.url === "/redirect") {
        response.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" });
        response.end();
      } else {
        response.writeHead(200);
        response.end("x".repeat(200_000));
      }
    });
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const make = async (name: string, path: string) =>
      (
        await api.integration.create({
          projectId,
          serviceName: name,
          serviceType: "http",
          configuration: { endpointUrl: `${endpoint.url}${path}`, method: "GET", headers: [] },
        })
      ).id;

    const failing = await make("fail", "/fail");
    expect((await api.integration.test({ projectId, integrationId: failing })).result).toMatchObject({
      ok: false,
      status: 500,
      error: "The endpoint answered HTTP 500.",
    });
    expect(await storedRow(failing)).toMatchObject({ request_count: 1, error_count: 1 });

    const big = await make("big", "/big");
    const bigResult = (await api.integration.test({ projectId, integrationId: big })).result;
    expect(bigResult).toMatchObject({ ok: true, truncated: true });
    expect(bigResult.bodyPreview.length).toBe(500);

    // A redirect is not followed: to a metadata address least of all.
    const redirecting = await make("redirect", "/redirect");
    expect((await api.integration.test({ projectId, integrationId: redirecting })).result).toMatchObject({
      ok: false,
      status: 302,
    });

    const slow = await make("slow", "/slow");
    const started = Date.now();
    const slowResult = (await api.integration.test({ projectId, integrationId: slow })).result;
    expect(slowResult).toMatchObject({ ok: false, status: null, error: "No answer within 5 s." });
    expect(Date.now() - started).toBeLessThan(8000);
  }, 20_000);

  it("refuses a private endpoint unless OUTBOUND_ALLOW_PRIVATE is set, and records why", async () => {
    const endpoint = await fakeEndpoint();
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const { id } = await api.integration.create({
      projectId,
      serviceName: "Local",
      serviceType: "webhook",
      configuration: { endpointUrl: `http://localhost:${endpoint.port}/x`, method: "POST", headers: [] },
    });
    env.OUTBOUND_ALLOW_PRIVATE = false;
    try {
      const calls = endpoint.received.length;
      const { result } = await api.integration.test({ projectId, integrationId: id });
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(
        /localhost \((127\.0\.0\.1|::1)\) is a loopback address; requests to it are refused/,
      );
      expect(endpoint.received.length).toBe(calls);
      expect(await storedRow(id)).toMatchObject({ request_count: 1, error_count: 1 });
    } finally {
      env.OUTBOUND_ALLOW_PRIVATE = true;
    }
    expect((await api.integration.test({ projectId, integrationId: id })).result.ok).toBe(true);
  });

  it("asks for an endpoint before testing", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const { id } = await api.integration.create({
      projectId,
      serviceName: "Inbound only",
      serviceType: "webhook",
      webhookSecret: SECRET,
    });
    await expectFailure(api.integration.test({ projectId, integrationId: id }), "PRECONDITION_FAILED", /endpoint URL/);
    expect(await storedRow(id)).toMatchObject({ request_count: 0, last_tested_at: null });
  });
});

describe("integration changes in the activity log", () => {
  it("logs adding, changing and deleting as the user, naming what changed but never a secret", async () => {
    const { api, userId } = await signedInUser();
    const projectId = await newProject(api);
    const { id } = await api.integration.create({
      projectId,
      serviceName: "Logged",
      serviceType: "github",
      apiKey: API_KEY,
    });
    await api.integration.update({
      projectId,
      integrationId: id,
      serviceName: "Logged 2",
      apiKey: "another-key-000000",
      isActive: false,
    });
    await api.integration.update({ projectId, integrationId: id, serviceName: "Logged 2" });
    await api.integration.delete({ projectId, integrationId: id });
    const { rows } = await pool.query(
      `SELECT activity_type, description, source_type, user_id, metadata::text AS metadata FROM project_activity
        WHERE project_id = $1 AND source_id = $2 ORDER BY created_at`,
      [projectId, id],
    );
    expect(rows.map((row) => [row.activity_type, row.description, row.source_type, row.user_id])).toEqual([
      ["integration_created", 'Integration "Logged" added (GitHub)', "user", userId],
      [
        "integration_updated",
        'Integration "Logged 2" changed: renamed to "Logged 2", API key replaced, disabled',
        "user",
        userId,
      ],
      ["integration_deleted", 'Integration "Logged 2" deleted', "user", userId],
    ]);
    expect(JSON.stringify(rows)).not.toContain(API_KEY);
    expect(JSON.stringify(rows)).not.toContain("another-key-000000");
  });
});
