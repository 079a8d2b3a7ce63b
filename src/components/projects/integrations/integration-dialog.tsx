"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import { Alert } from "~/components/ui/alert";
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from "~/components/ui/dialog";
import { SelectField, TextAreaField, TextField } from "~/components/ui/field";
import { Switch } from "~/components/ui/switch";
import {
  INTEGRATION_METHODS,
  INTEGRATION_TYPE_LABELS,
  INTEGRATION_TYPES,
  MIN_WEBHOOK_SECRET_LENGTH,
  ZCreateIntegrationInput,
  ZUpdateIntegrationInput,
  type IntegrationType,
} from "~/lib/schemas/integration";
import type { RouterOutputs } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";
import { secretInput, SecretField, type SecretChange } from "./secret-field";

export type Integration = RouterOutputs["integration"]["list"][number];

/** `Name: value` per line, as the form shows headers. */
function headersText(headers: { name: string; value: string }[]): string {
  return headers.map((header) => `${header.name}: ${header.value}`).join("\n");
}

function parseHeaders(text: string): { name: string; value: string }[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => {
      const colon = line.indexOf(":");
      return colon === -1
        ? { name: line, value: "" }
        : { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() };
    });
}

/** A random webhook secret, made in the browser so the user sees (and copies) it; the server never sends it back. */
function generateSecret(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return `whsec_${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

type Errors = Partial<Record<"serviceName" | "endpointUrl" | "headers" | "apiKey" | "webhookSecret" | "form", string>>;

/** The first message per form field of a zod parse of the create/update input. */
function errorsOf(issues: { path: PropertyKey[]; message: string }[]): Errors {
  const errors: Errors = {};
  for (const issue of issues) {
    const [first, second] = issue.path;
    const key = (
      first === "configuration" ? (second === "endpointUrl" ? "endpointUrl" : "headers") : first
    ) as keyof Errors;
    const field =
      key && ["serviceName", "endpointUrl", "headers", "apiKey", "webhookSecret"].includes(String(key)) ? key : "form";
    errors[field] ??= issue.message;
  }
  return errors;
}

/**
 * Adds an integration, or edits one (`integration` given). Secrets are write-only: the form shows their masks and
 * offers Replace / Clear; what the user types goes to the server once and is never shown again.
 */
export function IntegrationDialog({
  projectId,
  integration,
  trigger,
}: {
  projectId: string;
  integration?: Integration;
  trigger: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      {open && (
        <DialogContent
          title={integration ? `Edit ${integration.serviceName}` : "Add integration"}
          description="Where Vaporform calls out to, and the secret that signs webhooks coming in."
          className="max-h-[calc(100dvh-2rem)] w-[min(36rem,calc(100vw-2rem))] overflow-y-auto"
        >
          <IntegrationForm projectId={projectId} integration={integration} onDone={() => setOpen(false)} />
        </DialogContent>
      )}
    </Dialog>
  );
}

function IntegrationForm({
  projectId,
  integration,
  onDone,
}: {
  projectId: string;
  integration?: Integration;
  onDone(): void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.integration.list.queryKey({ projectId }) });
  const create = useMutation(trpc.integration.create.mutationOptions({ onSuccess: invalidate }));
  const update = useMutation(trpc.integration.update.mutationOptions({ onSuccess: invalidate }));
  const [serviceType, setServiceType] = useState<IntegrationType>(integration?.serviceType ?? "webhook");
  const [isActive, setIsActive] = useState(integration?.isActive ?? true);
  const [apiKey, setApiKey] = useState<SecretChange>({ mode: "keep" });
  const [webhookSecret, setWebhookSecret] = useState<SecretChange>({ mode: "keep" });
  const [errors, setErrors] = useState<Errors>({});

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const endpointUrl = String(form.get("endpointUrl") ?? "").trim();
    const common = {
      projectId,
      serviceName: String(form.get("serviceName") ?? ""),
      serviceType,
      configuration: {
        ...(endpointUrl === "" ? {} : { endpointUrl }),
        method: String(form.get("method") ?? "POST") as (typeof INTEGRATION_METHODS)[number],
        headers: parseHeaders(String(form.get("headers") ?? "")),
      },
      isActive,
    };
    const parsed = integration
      ? ZUpdateIntegrationInput.safeParse({
          ...common,
          integrationId: integration.id,
          apiKey: secretInput(apiKey),
          webhookSecret: secretInput(webhookSecret),
        })
      : ZCreateIntegrationInput.safeParse({
          ...common,
          apiKey: secretInput(apiKey) ?? undefined,
          webhookSecret: secretInput(webhookSecret) ?? undefined,
        });
    if (!parsed.success) return setErrors(errorsOf(parsed.error.issues));
    setErrors({});
    try {
      if (integration) {
        await update.mutateAsync(ZUpdateIntegrationInput.parse(parsed.data));
      } else {
        await create.mutateAsync(ZCreateIntegrationInput.parse(parsed.data));
      }
      onDone();
    } catch (failure) {
      setErrors({ form: failure instanceof Error ? failure.message : String(failure) });
    }
  }

  return (
    <form className="mt-4 space-y-4" onSubmit={(event) => void submit(event)} noValidate>
      {errors.form && <Alert tone="error">{errors.form}</Alert>}
      <TextField
        label="Name"
        name="serviceName"
        defaultValue={integration?.serviceName}
        maxLength={100}
        required
        error={errors.serviceName}
      />
      <SelectField
        label="Type"
        name="serviceType"
        value={serviceType}
        onChange={(event) => setServiceType(event.target.value as IntegrationType)}
      >
        {INTEGRATION_TYPES.map((type) => (
          <option key={type} value={type}>
            {INTEGRATION_TYPE_LABELS[type]}
          </option>
        ))}
      </SelectField>
      <div className="grid grid-cols-[1fr_auto] gap-2">
        <TextField
          label="Endpoint URL"
          name="endpointUrl"
          type="url"
          inputMode="url"
          placeholder="https://hooks.example.com/…"
          defaultValue={integration?.configuration.endpointUrl}
          error={errors.endpointUrl}
          hint="Called by Test. http(s) only; private addresses are refused unless the install allows them."
        />
        <SelectField label="Method" name="method" defaultValue={integration?.configuration.method ?? "POST"}>
          {INTEGRATION_METHODS.map((method) => (
            <option key={method}>{method}</option>
          ))}
        </SelectField>
      </div>
      <TextAreaField
        label="Headers"
        name="headers"
        placeholder="X-Team: core"
        defaultValue={integration ? headersText(integration.configuration.headers) : ""}
        error={errors.headers}
        hint="One `Name: value` per line, at most 20."
        className="min-h-16 font-mono"
      />
      <SecretField
        label="API key"
        testId="api-key-field"
        mask={integration?.apiKey ?? null}
        change={apiKey}
        onChange={setApiKey}
        error={errors.apiKey}
        hint="Sent as Authorization: Bearer … unless you set an Authorization header. Stored encrypted, never shown again."
      />
      <SecretField
        label="Webhook secret"
        testId="webhook-secret-field"
        mask={integration?.webhookSecret ?? null}
        change={webhookSecret}
        onChange={setWebhookSecret}
        onGenerate={generateSecret}
        error={errors.webhookSecret}
        hint={`Signs incoming webhooks (and Test calls). At least ${MIN_WEBHOOK_SECRET_LENGTH} characters; copy it now, it is not shown again.`}
      />
      <label className="flex items-center gap-3 text-sm">
        <Switch checked={isActive} onCheckedChange={setIsActive} aria-label="Enabled" />
        Enabled (a disabled integration refuses webhooks)
      </label>
      <DialogFormActions
        submitLabel={integration ? "Save" : "Add integration"}
        pending={create.isPending || update.isPending}
      />
    </form>
  );
}
