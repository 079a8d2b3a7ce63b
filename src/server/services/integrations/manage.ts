import {
  INTEGRATION_TYPE_LABELS,
  ZIntegrationConfiguration,
  ZIntegrationTestResult,
  type IntegrationType,
  type TCreateIntegrationInput,
  type TIntegrationConfiguration,
  type TUpdateIntegrationInput,
} from "~/lib/schemas/integration";
import { Prisma } from "~/generated/prisma/client";
import { currentKeyVersion, decryptSecret, encryptSecret, maskSecret } from "~/server/crypto";
import type { Database } from "~/server/db/client";
import type { Actor, WriteTx } from "~/server/db/write";
import { isUniqueViolation } from "~/server/db/errors";
import { AppError } from "~/server/errors";

/** The columns an integration is read with; secrets only as "is there one". */
const STORED = {
  id: true,
  serviceName: true,
  serviceType: true,
  configuration: true,
  apiKeyEncrypted: true,
  webhookUrl: true,
  webhookSecretEncrypted: true,
  keyVersion: true,
  isActive: true,
  isConfigured: true,
  lastTestResult: true,
  lastTestedAt: true,
  requestCount: true,
  lastRequestAt: true,
  errorCount: true,
  lastErrorAt: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.ProjectIntegrationSelect;

type StoredIntegration = Prisma.ProjectIntegrationGetPayload<{ select: typeof STORED }>;

/** The inbound webhook's path for an integration (the browser puts its own origin in front). */
export function webhookPath(integrationId: string): string {
  return `/api/webhooks/${integrationId}`;
}

/** A secret as a browser may see it: a mask with its last four characters (for long ones), or null when unset. */
function secretHint(envelope: string | null): string | null {
  if (envelope === null) return null;
  try {
    return maskSecret(decryptSecret(envelope));
  } catch {
    // Set, but under a key this instance lacks: say it is there without anything of it.
    return "••••••••";
  }
}

/** The form's part of a stored configuration (a git integration's binding, gitBinding, is kept apart). */
function configurationOf(stored: StoredIntegration): TIntegrationConfiguration {
  const { username: _username, host: _host, ...form } = (stored.configuration ?? {}) as Record<string, unknown>;
  const parsed = ZIntegrationConfiguration.safeParse(form);
  return parsed.success ? parsed.data : { method: "POST", headers: [] };
}

/**
 * What a git integration keeps beyond the form's configuration (src/server/services/git/credentials.ts): its
 * username, and the host its token is bound to, unless the token is being replaced (a new token binds to the
 * host of its first use). The form never shows nor sends them, so an edit must not drop them.
 */
function gitBinding(stored: StoredIntegration, tokenReplaced: boolean): { username?: string; host?: string } {
  const kept = (stored.configuration ?? {}) as { username?: unknown; host?: unknown };
  return {
    ...(typeof kept.username === "string" ? { username: kept.username } : {}),
    ...(typeof kept.host === "string" && !tokenReplaced ? { host: kept.host } : {}),
  };
}

/** What the client sees of an integration: never a secret, only whether one is set and a mask. */
function present(stored: StoredIntegration) {
  const lastTest = ZIntegrationTestResult.safeParse(stored.lastTestResult);
  return {
    id: stored.id,
    serviceName: stored.serviceName,
    serviceType: stored.serviceType as IntegrationType,
    configuration: configurationOf(stored),
    apiKey: secretHint(stored.apiKeyEncrypted),
    webhookSecret: secretHint(stored.webhookSecretEncrypted),
    webhookPath: stored.webhookUrl ?? webhookPath(stored.id),
    isActive: stored.isActive ?? true,
    isConfigured: stored.isConfigured ?? false,
    lastTestResult: lastTest.success ? lastTest.data : null,
    lastTestedAt: stored.lastTestedAt,
    requestCount: stored.requestCount ?? 0,
    lastRequestAt: stored.lastRequestAt,
    errorCount: stored.errorCount ?? 0,
    lastErrorAt: stored.lastErrorAt,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}

export type IntegrationView = ReturnType<typeof present>;

/** Usable for something: an endpoint to call, or a secret to verify inbound webhooks with. */
function configured(configuration: TIntegrationConfiguration, hasWebhookSecret: boolean): boolean {
  return configuration.endpointUrl !== undefined || hasWebhookSecret;
}

function nameTaken(name: string): AppError {
  return new AppError("CONFLICT", `This project already has an integration named "${name}".`);
}

/**
 * The activity entry of a change to an integration, by the user who made it. Names what changed, never a secret's
 * value (only "replaced" or "cleared").
 */
async function logChange(
  tx: WriteTx,
  options: {
    actor: Actor;
    projectId: string;
    integrationId: string;
    serviceName: string;
    type: string;
    description: string;
    changes?: Record<string, string>;
  },
) {
  await tx.projectActivity.create({
    data: {
      projectId: options.projectId,
      userId: options.actor.userId,
      activityType: options.type,
      description: options.description,
      metadata: {
        integrationId: options.integrationId,
        serviceName: options.serviceName,
        ...(options.changes ? { changes: options.changes } : {}),
      },
      sourceType: options.actor.source,
      sourceId: options.integrationId,
    },
    select: { id: true },
  });
}

/** What an update changes, as words for the activity log. */
function describeChanges(
  current: StoredIntegration,
  update: Omit<TUpdateIntegrationInput, "projectId">,
  configuration: TIntegrationConfiguration,
): Record<string, string> {
  const changes: Record<string, string> = {};
  if (update.serviceName !== undefined && update.serviceName !== current.serviceName) changes.name = update.serviceName;
  if (update.serviceType !== undefined && update.serviceType !== current.serviceType) changes.type = update.serviceType;
  if (update.configuration && JSON.stringify(configuration) !== JSON.stringify(configurationOf(current))) {
    changes.configuration = "changed";
  }
  if (update.apiKey !== undefined) changes.apiKey = update.apiKey === null ? "cleared" : "replaced";
  if (update.webhookSecret !== undefined)
    changes.webhookSecret = update.webhookSecret === null ? "cleared" : "replaced";
  if (update.isActive !== undefined && update.isActive !== (current.isActive ?? true)) {
    changes.status = update.isActive ? "enabled" : "disabled";
  }
  return changes;
}

function changeWords(changes: Record<string, string>): string {
  const words: Record<string, (how: string) => string> = {
    name: (how) => `renamed to "${how}"`,
    type: (how) => `type ${how}`,
    configuration: () => "configuration changed",
    apiKey: (how) => `API key ${how}`,
    webhookSecret: (how) => `webhook secret ${how}`,
    status: (how) => how,
  };
  return Object.entries(changes)
    .map(([what, how]) => words[what]?.(how) ?? what)
    .join(", ");
}

/** A project's integrations, oldest first. */
export async function listIntegrations(options: { db: Database; projectId: string }): Promise<IntegrationView[]> {
  const rows = await options.db.projectIntegration.findMany({
    where: { projectId: options.projectId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: STORED,
  });
  return rows.map(present);
}

/** Adds an integration; its secrets are encrypted under the current key version. */
export async function createIntegration(
  options: { db: Database; actor: Actor; projectId: string; userId: string } & Omit<
    TCreateIntegrationInput,
    "projectId"
  >,
): Promise<IntegrationView> {
  const configuration = ZIntegrationConfiguration.parse(options.configuration ?? {});
  try {
    const created = await options.db.$transaction(async (tx) => {
      const row = await tx.projectIntegration.create({
        data: {
          projectId: options.projectId,
          userId: options.userId,
          serviceName: options.serviceName,
          serviceType: options.serviceType,
          configuration,
          apiKeyEncrypted: options.apiKey === undefined ? null : encryptSecret(options.apiKey),
          webhookSecretEncrypted: options.webhookSecret === undefined ? null : encryptSecret(options.webhookSecret),
          keyVersion: currentKeyVersion(),
          isActive: options.isActive ?? true,
          isConfigured: configured(configuration, options.webhookSecret !== undefined),
        },
        select: { id: true },
      });
      await logChange(tx, {
        actor: options.actor,
        projectId: options.projectId,
        integrationId: row.id,
        serviceName: options.serviceName,
        type: "integration_created",
        description: `Integration "${options.serviceName}" added (${INTEGRATION_TYPE_LABELS[options.serviceType]})`,
      });
      return tx.projectIntegration.update({
        where: { id: row.id },
        data: { webhookUrl: webhookPath(row.id) },
        select: STORED,
      });
    });
    return present(created);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(options.serviceName);
    throw error;
  }
}

async function findOwn(db: Database, projectId: string, integrationId: string) {
  const row = await db.projectIntegration.findFirst({
    where: { id: integrationId, projectId },
    select: STORED,
  });
  if (!row) throw new AppError("NOT_FOUND", "Integration not found.");
  return row;
}

/** Changes an integration: omitted fields stay; a secret given replaces the stored one, null clears it. */
export async function updateIntegration(
  options: { db: Database; actor: Actor; projectId: string } & Omit<TUpdateIntegrationInput, "projectId">,
): Promise<IntegrationView> {
  const current = await findOwn(options.db, options.projectId, options.integrationId);
  const configuration = options.configuration
    ? ZIntegrationConfiguration.parse(options.configuration)
    : configurationOf(current);
  const binding = gitBinding(current, typeof options.apiKey === "string");
  // One key version per row: when a secret is written, the one kept beside it is re-encrypted with it.
  const rewrites = typeof options.apiKey === "string" || typeof options.webhookSecret === "string";
  const next = (given: string | null | undefined, stored: string | null) => {
    if (given === null) return null;
    if (given !== undefined) return encryptSecret(given);
    return stored !== null && rewrites ? encryptSecret(decryptSecret(stored)) : stored;
  };
  const apiKeyEncrypted = next(options.apiKey, current.apiKeyEncrypted);
  const webhookSecretEncrypted = next(options.webhookSecret, current.webhookSecretEncrypted);
  try {
    const changes = describeChanges(current, options, configuration);
    const updated = await options.db.$transaction(async (tx) => {
      const row = await tx.projectIntegration.update({
        where: { id: current.id, projectId: options.projectId },
        data: {
          serviceName: options.serviceName,
          serviceType: options.serviceType,
          configuration: { ...configuration, ...binding },
          apiKeyEncrypted,
          webhookSecretEncrypted,
          keyVersion: rewrites ? currentKeyVersion() : current.keyVersion,
          isActive: options.isActive,
          isConfigured: configured(configuration, webhookSecretEncrypted !== null),
        },
        select: STORED,
      });
      if (Object.keys(changes).length > 0) {
        await logChange(tx, {
          actor: options.actor,
          projectId: options.projectId,
          integrationId: row.id,
          serviceName: row.serviceName,
          type: "integration_updated",
          description: `Integration "${row.serviceName}" changed: ${changeWords(changes)}`,
          changes,
        });
      }
      return row;
    });
    return present(updated);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(options.serviceName ?? current.serviceName);
    throw error;
  }
}

/** Deletes an integration (its delivery records go with it; its activity stays). */
export async function deleteIntegration(options: {
  db: Database;
  actor: Actor;
  projectId: string;
  integrationId: string;
}) {
  return options.db.$transaction(async (tx) => {
    const row = await tx.projectIntegration.findFirst({
      where: { id: options.integrationId, projectId: options.projectId },
      select: { id: true, serviceName: true },
    });
    const { count } = row ? await tx.projectIntegration.deleteMany({ where: { id: row.id } }) : { count: 0 };
    if (!row || count === 0) throw new AppError("NOT_FOUND", "Integration not found.");
    await logChange(tx, {
      actor: options.actor,
      projectId: options.projectId,
      integrationId: row.id,
      serviceName: row.serviceName,
      type: "integration_deleted",
      description: `Integration "${row.serviceName}" deleted`,
    });
    return { id: row.id };
  });
}

export { findOwn as findIntegration, present as presentIntegration, type StoredIntegration };
