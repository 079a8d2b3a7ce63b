import { createHmac } from "node:crypto";
import fs from "node:fs";
import { expect, openFreshProject, test } from "./fixtures";

const API_KEY = "sk-e2e-integration-key-7781";
const SECRET = "whsec-e2e-0123456789abcdef";

function sign(body: string, timestamp: number, secret = SECRET) {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

test("add an integration with its key masked, test it, receive a signed webhook and see it in activity", async ({
  page,
  baseURL,
}) => {
  const { projectId } = await openFreshProject(page, "Integrated");
  // Every answer about integrations the browser receives: none may carry the key or the secret.
  const bodies: string[] = [];
  page.on("response", (response) => {
    if (response.url().includes("/api/trpc/") && response.url().includes("integration.")) {
      void response.text().then(
        (text) => bodies.push(text),
        () => {},
      );
    }
  });

  await page.goto(`/projects/${projectId}`);
  await page.getByRole("link", { name: "Integrations" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${projectId}/integrations$`));
  await expect(page.getByText("No integrations yet.")).toBeVisible();

  await page.getByRole("button", { name: "Add integration" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("Deploy hook");
  // The app's own health check stands in for a service (the e2e install allows private addresses).
  await dialog.getByLabel("Endpoint URL").fill(`${baseURL}/api/health`);
  await dialog.getByLabel("Method").selectOption("GET");
  await dialog.getByLabel("API key").fill(API_KEY);
  await dialog.getByLabel("Webhook secret").fill(SECRET);
  await dialog.getByRole("button", { name: "Add integration" }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByTestId("integration-row").filter({ hasText: "Deploy hook" });
  await expect(row.getByTestId("api-key-mask")).toHaveText("••••••••7781");
  await expect(row.getByText("Never tested.")).toBeVisible();
  const integrationId = await row.getAttribute("data-integration-id");
  expect(integrationId).toBeTruthy();

  await row.getByRole("button", { name: "Test" }).click();
  await expect(row.getByTestId("last-test")).toContainText("Test passed");
  await expect(row.getByTestId("last-test")).toContainText("HTTP 200");
  await expect(row.getByTestId("request-count")).toContainText("1");

  // The edit dialog shows the mask with Replace / Clear, never the key.
  await row.getByRole("button", { name: "Edit" }).click();
  await expect(page.getByTestId("api-key-field-mask")).toHaveText("••••••••7781");
  await expect(page.getByTestId("api-key-field").getByRole("button", { name: "Replace" })).toBeVisible();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();

  // The signing instructions carry this integration's URL.
  await row.getByText("Incoming webhook URL and signing").click();
  await expect(row.getByTestId("webhook-instructions")).toContainText(`/api/webhooks/${integrationId}`);

  // A signed delivery over real HTTP, as another server sends it.
  const url = `/api/webhooks/${integrationId}`;
  const body = JSON.stringify({ event: "deploy.finished", status: "green" });
  const now = Math.floor(Date.now() / 1000);
  const headers = {
    "content-type": "application/json",
    "x-vaporform-timestamp": String(now),
    "x-vaporform-signature": sign(body, now),
  };
  const accepted = await page.request.post(url, { data: body, headers });
  expect(accepted.status(), await accepted.text()).toBe(202);
  expect(await accepted.json()).toEqual({ received: true, event: "deploy.finished" });

  // Refused: the same delivery again, a wrong signature, none at all, a stale timestamp.
  const replay = await page.request.post(url, { data: body, headers });
  expect(replay.status()).toBe(409);
  expect(await replay.json()).toMatchObject({ code: "replayed" });
  const wrong = await page.request.post(url, {
    data: body,
    headers: { ...headers, "x-vaporform-signature": sign(body, now, "not-the-secret-at-all") },
  });
  expect(wrong.status()).toBe(401);
  expect(await wrong.json()).toMatchObject({ code: "bad_signature", error: expect.stringContaining("does not match") });
  const unsigned = await page.request.post(url, { data: body, headers: { "content-type": "application/json" } });
  expect(unsigned.status()).toBe(401);
  expect(await unsigned.json()).toMatchObject({ code: "missing_signature" });
  const stale = now - 600;
  const old = await page.request.post(url, {
    data: body,
    headers: { ...headers, "x-vaporform-timestamp": String(stale), "x-vaporform-signature": sign(body, stale) },
  });
  expect(old.status()).toBe(401);
  expect(await old.json()).toMatchObject({ code: "stale_timestamp" });

  // Exactly one webhook entry in the activity log, over HTTP and in the IDE's activity panel.
  const input = encodeURIComponent(JSON.stringify({ json: { projectId, limit: 50 } }));
  const activity = await page.request.get(`/api/trpc/activity.list?input=${input}`);
  const items = (
    (await activity.json()) as { result: { data: { json: { items: { sourceType: string; description: string }[] } } } }
  ).result.data.json.items;
  expect(items.filter((item) => item.sourceType === "webhook").map((item) => item.description)).toEqual([
    'Webhook "deploy.finished" received by Deploy hook',
  ]);
  await page.reload();
  await expect(row.getByTestId("request-count")).toContainText("2");

  await page.goto(`/projects/${projectId}`);
  await page.getByRole("button", { name: "Activity" }).click();
  await expect(page.getByText('Webhook "deploy.finished" received by Deploy hook')).toBeVisible();

  // On the dashboard: the delivery in the activity timeline, filtered to webhooks, and exported as CSV.
  await page.goto(`/projects/${projectId}/dashboard`);
  const entries = page.getByTestId("activity-entry");
  await expect(entries.filter({ hasText: 'Webhook "deploy.finished" received by Deploy hook' })).toBeVisible();
  await page.getByRole("combobox", { name: "Source", exact: true }).selectOption("webhook");
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toHaveAttribute("data-source", "webhook");
  await expect(page.getByTestId("activity-export")).toHaveAttribute("href", /source=webhook/);
  const downloading = page.waitForEvent("download");
  await page.getByTestId("activity-export").click();
  const csv = fs.readFileSync((await (await downloading).path())!, "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(",webhook_received,webhook,");
  expect(lines[1]).toContain('Webhook ""deploy.finished"" received by Deploy hook');
  const exported = await page.request.get(
    `/api/trpc/activity.export?input=${encodeURIComponent(JSON.stringify({ json: { projectId, source: "webhook" } }))}`,
  );
  expect(((await exported.json()) as { result: { data: { json: { csv: string } } } }).result.data.json.csv).toBe(csv);

  expect(bodies.length).toBeGreaterThan(0);
  for (const text of bodies) {
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(SECRET);
  }
});

test("an endpoint URL that is not http(s) is refused with a clear error, and nothing is added", async ({ page }) => {
  const { projectId } = await openFreshProject(page, "Refusals");
  await page.goto(`/projects/${projectId}/integrations`);
  await page.getByRole("button", { name: "Add integration" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("Bad");
  await dialog.getByLabel("Endpoint URL").fill("ftp://example.com/upload");
  await dialog.getByRole("button", { name: "Add integration" }).click();
  await expect(dialog.getByText("Enter an http:// or https:// URL.")).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByText("No integrations yet.")).toBeVisible();
});
