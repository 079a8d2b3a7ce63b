/**
 * The credentials of a project's remote: a token stored encrypted (src/server/crypto.ts, the integrations' key
 * ring) as a `project_integrations` row of the project (service_name 'git', service_type 'git', configuration
 * {username, host}), listed and masked like any integration. Only the server ever decrypts it.
 */
import { currentKeyVersion, decryptSecret, encryptSecret } from "~/server/crypto";
import type { Database } from "~/server/db/client";
import type { WriteTx } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { quote } from "../files/common";
import type { GitCredentials } from "./remote";

export const GIT_INTEGRATION_NAME = "git";
export const GIT_INTEGRATION_TYPE = "git";

/**
 * The integrations that hold git credentials: the import's (service_name 'git', service_type 'git'), or one the
 * owner named or typed `git`. Only these are ever sent to a remote: any other integration's secret (a payment
 * provider's key, a webhook's) would be readable back by pointing the repository URL at one's own server.
 */
export const GIT_INTEGRATION_WHERE = {
  OR: [{ serviceName: GIT_INTEGRATION_NAME }, { serviceType: GIT_INTEGRATION_TYPE }],
};

function isGitIntegration(row: { serviceName: string; serviceType: string }): boolean {
  return row.serviceName === GIT_INTEGRATION_NAME || row.serviceType === GIT_INTEGRATION_TYPE;
}

/** Stores (or replaces) the project's git credentials, inside the caller's transaction. */
export async function storeGitCredentials(
  tx: WriteTx,
  options: { projectId: string; userId: string; url: string; credentials: GitCredentials },
): Promise<void> {
  const { projectId, userId, credentials } = options;
  if (!credentials.token) return;
  const data = {
    serviceType: GIT_INTEGRATION_TYPE,
    configuration: { username: credentials.username || null, host: new URL(options.url).host },
    apiKeyEncrypted: encryptSecret(credentials.token),
    keyVersion: currentKeyVersion(),
    isConfigured: true,
    updatedAt: new Date(),
  };
  await tx.projectIntegration.upsert({
    where: { projectId_serviceName: { projectId, serviceName: GIT_INTEGRATION_NAME } },
    create: { projectId, userId, serviceName: GIT_INTEGRATION_NAME, ...data },
    update: data,
  });
}

/**
 * The credentials push and pull use with the remote `url`: those of `integrationId` (an integration of this
 * project, else NOT_FOUND; a git one, GIT_INTEGRATION_WHERE, else BAD_REQUEST), or the project's git integration,
 * or none (a public remote). A token stored for
 * another host (its configuration's `host`: the repository URL changed since) is never sent: PRECONDITION_FAILED.
 * An integration without a host is bound to the host of its first use.
 */
export async function loadGitCredentials(
  db: Pick<Database, "projectIntegration">,
  projectId: string,
  integrationId: string | undefined,
  url: string,
): Promise<GitCredentials & { integrationId: string | null }> {
  const row = await db.projectIntegration.findFirst({
    where: integrationId ? { id: integrationId, projectId } : { projectId, ...GIT_INTEGRATION_WHERE },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      serviceName: true,
      serviceType: true,
      apiKeyEncrypted: true,
      configuration: true,
      isActive: true,
    },
  });
  if (!row) {
    if (integrationId) throw new AppError("NOT_FOUND", "Integration not found.");
    return { integrationId: null };
  }
  if (!isGitIntegration(row)) {
    throw new AppError(
      "BAD_REQUEST",
      `The integration ${quote(row.serviceName)} does not hold git credentials: only a git integration's token is sent to a remote.`,
    );
  }
  if (row.apiKeyEncrypted === null) {
    throw new AppError("BAD_REQUEST", "This integration has no token to authenticate with.");
  }
  const configuration = (row.configuration ?? {}) as { username?: unknown; host?: unknown };
  const host = new URL(url).host;
  if (typeof configuration.host !== "string") {
    // A git integration made by hand (or edited in the integrations form, whose configuration has no host) is
    // bound to the host of its first use, so a later change of the repository URL cannot carry its token away.
    await db.projectIntegration.update({
      where: { id: row.id },
      data: { configuration: { ...(configuration as Record<string, unknown>), host } },
    });
  } else if (configuration.host !== host) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `The stored token is for ${configuration.host}, not ${host} (the repository URL changed): it is not sent there. Replace the git integration's token (Integrations) to use one for the new host.`,
    );
  }
  let token: string;
  try {
    token = decryptSecret(row.apiKeyEncrypted);
  } catch {
    throw new AppError("PRECONDITION_FAILED", "The stored token cannot be decrypted with this server's keys.");
  }
  const username = typeof configuration.username === "string" ? configuration.username : null;
  return { integrationId: row.id, username, token };
}
