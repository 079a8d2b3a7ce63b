import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "../db";
import { expectFailure, signedInUser } from "../files/support";
import { gitServerForFile, importAndWait } from "./support";

const server = gitServerForFile();

/** Another host (another port: another `host`) that asks for credentials and records every Authorization sent. */
let other: http.Server;
let otherUrl: string;
const authorizations: string[] = [];
beforeAll(async () => {
  other = http.createServer((req, res) => {
    if (req.headers.authorization) authorizations.push(req.headers.authorization);
    res.writeHead(401, { "WWW-Authenticate": 'Basic realm="other"' });
    res.end();
  });
  await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/repo.git`;
});
afterAll(() => new Promise<void>((resolve) => other.close(() => resolve())));

describe("git credentials and the remote's host", () => {
  it("never sends the token stored for one host to another one the repository URL was changed to", async () => {
    const url = await server().createRepo(`app-${randomBytes(3).toString("hex")}`, { "a.txt": "a\n" });
    const { api } = await signedInUser();
    const op = await importAndWait(api, {
      url,
      name: `Hosted ${randomBytes(3).toString("hex")}`,
      username: "alice",
      token: server().password,
    });
    expect(op.status).toBe("succeeded");
    const projectId = op.projectId!;
    await api.project.update({ projectId, repositoryUrl: otherUrl });
    await expectFailure(api.git.pullPreview({ projectId }), "PRECONDITION_FAILED", /token.*127\.0\.0\.1/);
    await expectFailure(api.git.push({ projectId }), "PRECONDITION_FAILED", /token/);
    const secret = Buffer.from(`alice:${server().password}`).toString("base64");
    expect(authorizations.filter((header) => header.includes(secret))).toEqual([]);
  });

  it("keeps a git integration's username and host through an edit in the integrations form, until its token is replaced", async () => {
    const url = await server().createRepo(`app-${randomBytes(3).toString("hex")}`, { "a.txt": "a\n" });
    const { api } = await signedInUser();
    const op = await importAndWait(api, {
      url,
      name: `Edited ${randomBytes(3).toString("hex")}`,
      username: "alice",
      token: server().password,
    });
    const projectId = op.projectId!;
    const [git] = (await api.integration.list({ projectId })).filter((item) => item.serviceName === "git");
    const stored = async () =>
      (await pool.query(`SELECT configuration FROM project_integrations WHERE id = $1`, [git!.id])).rows[0]
        .configuration as Record<string, unknown>;
    const host = new URL(url).host;
    // An edit of the form's part (a header) keeps the binding: pull still authenticates, and another host is refused.
    await api.integration.update({
      projectId,
      integrationId: git!.id,
      configuration: { method: "POST", headers: [{ name: "X-Note", value: "kept" }] },
    });
    expect(await stored()).toMatchObject({ username: "alice", host, headers: [{ name: "X-Note", value: "kept" }] });
    expect((await api.git.pullPreview({ projectId })).upToDate).toBe(true);
    await api.project.update({ projectId, repositoryUrl: otherUrl });
    await expectFailure(
      api.git.pullPreview({ projectId }),
      "PRECONDITION_FAILED",
      /Replace the git integration's token/,
    );
    // A new token is bound to the host of its first use, and from then on to it alone.
    await api.integration.update({ projectId, integrationId: git!.id, apiKey: "new-token-for-the-other-host" });
    expect((await stored()).host).toBeUndefined();
    await expectFailure(api.git.pullPreview({ projectId }), "FORBIDDEN", /refused the credentials/);
    expect((await stored()).host).toBe(new URL(otherUrl).host);
    await api.project.update({ projectId, repositoryUrl: url });
    await expectFailure(api.git.pullPreview({ projectId }), "PRECONDITION_FAILED", /token/);
  });

  it("refuses an integration that is not a git one (e.g. a payment key) and sends its secret nowhere", async () => {
    const url = await server().createRepo(`app-${randomBytes(3).toString("hex")}`, { "a.txt": "a\n" });
    const { api } = await signedInUser();
    const { id: projectId } = await api.project.create({ name: `Keyed ${randomBytes(3).toString("hex")}` });
    await api.project.update({ projectId, repositoryUrl: otherUrl, repositoryBranch: "main" });
    const stripeKey = `sk_live_${randomBytes(12).toString("hex")}`;
    const { id: integrationId } = await api.integration.create({
      projectId,
      serviceName: "Stripe",
      serviceType: "http",
      configuration: { method: "POST", headers: [] },
      apiKey: stripeKey,
    });
    await expectFailure(api.git.pullPreview({ projectId, integrationId }), "BAD_REQUEST", /“Stripe” does not hold git/);
    await expectFailure(api.git.push({ projectId, integrationId }), "BAD_REQUEST", /only a git integration/);
    await expectFailure(
      api.git.pullApply({ projectId, integrationId, remoteCommit: "a".repeat(40), expected: [], resolutions: [] }),
      "BAD_REQUEST",
      /does not hold git credentials/,
    );
    expect(authorizations.filter((header) => Buffer.from(header.slice(6), "base64").includes(stripeKey))).toEqual([]);
    // On the project's own (real) remote too: nothing is sent with it.
    await api.project.update({ projectId, repositoryUrl: url });
    const before = server().log.length;
    await expectFailure(api.git.push({ projectId, integrationId }), "BAD_REQUEST", /does not hold git credentials/);
    expect(server().log.slice(before)).toEqual([]);
  });
});
