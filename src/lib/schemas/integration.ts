/** Inputs of the integration procedures and the shape of an integration's configuration. Client-safe. */
import { z } from "zod";

export const INTEGRATION_TYPES = ["webhook", "slack", "github", "http"] as const;
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];
export const INTEGRATION_TYPE_LABELS: Record<IntegrationType, string> = {
  webhook: "Webhook",
  slack: "Slack",
  github: "GitHub",
  http: "Custom HTTP",
};

export const INTEGRATION_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export const MAX_INTEGRATION_HEADERS = 20;
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/** Headers the HTTP client sets itself (or that would change where and how the request goes). */
const RESERVED_HEADERS = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "upgrade",
  "expect",
  "te",
  "trailer",
  "keep-alive",
  "proxy-authorization",
  "proxy-connection",
  "x-vaporform-signature",
  "x-vaporform-timestamp",
]);

export const ZIntegrationName = z
  .string()
  .trim()
  .normalize("NFC")
  .min(1, "Enter a name.")
  .max(100, "Use a name of at most 100 characters.")
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, "The name cannot contain control characters.");

/** An http(s) URL with a host and no credentials (the server still checks the address it resolves to). */
export const ZEndpointUrl = z
  .string()
  .trim()
  .max(2048, "Use a URL of at most 2,048 characters.")
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "Enter an http:// or https:// URL.")
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.username === "" && url.password === "";
    } catch {
      return true;
    }
  }, "Put credentials in the API key or a header, not in the URL.");

const ZHeaderName = z
  .string()
  .trim()
  .min(1, "Enter a header name.")
  .max(100, "Use a header name of at most 100 characters.")
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "A header name uses letters, digits and - only.")
  .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), "This header is set by Vaporform itself.");

const ZHeaderValue = z
  .string()
  .max(2000, "Use a header value of at most 2,000 characters.")
  .regex(/^[^\r\n\0]*$/, "A header value cannot contain line breaks.");

export const ZIntegrationConfiguration = z
  .object({
    /** Where "test" (and outbound notifications) call. */
    endpointUrl: ZEndpointUrl.optional(),
    method: z.enum(INTEGRATION_METHODS).default("POST"),
    headers: z
      .array(z.object({ name: ZHeaderName, value: ZHeaderValue }))
      .max(MAX_INTEGRATION_HEADERS, `Use at most ${MAX_INTEGRATION_HEADERS} headers.`)
      .default([])
      .refine(
        (headers) => new Set(headers.map((header) => header.name.toLowerCase())).size === headers.length,
        "Each header may be given once.",
      ),
  })
  .strict();
export type TIntegrationConfiguration = z.output<typeof ZIntegrationConfiguration>;

/** An API key or webhook secret as typed: never echoed back. */
const ZSecret = z.string().min(1, "Enter a value.").max(4096, "Use at most 4,096 characters.");
const ZWebhookSecret = z
  .string()
  .min(MIN_WEBHOOK_SECRET_LENGTH, `Use a webhook secret of at least ${MIN_WEBHOOK_SECRET_LENGTH} characters.`)
  .max(4096, "Use at most 4,096 characters.");

export const ZCreateIntegrationInput = z.object({
  projectId: z.uuid(),
  serviceName: ZIntegrationName,
  serviceType: z.enum(INTEGRATION_TYPES),
  configuration: ZIntegrationConfiguration.default({ method: "POST", headers: [] }),
  apiKey: ZSecret.optional(),
  webhookSecret: ZWebhookSecret.optional(),
  isActive: z.boolean().default(true),
});
export type TCreateIntegrationInput = z.input<typeof ZCreateIntegrationInput>;

/**
 * A change: omitted fields stay as they are. For the secrets: a string replaces, null clears, omitted keeps (the
 * form never has the stored value to send back).
 */
export const ZUpdateIntegrationInput = z.object({
  projectId: z.uuid(),
  integrationId: z.uuid(),
  serviceName: ZIntegrationName.optional(),
  serviceType: z.enum(INTEGRATION_TYPES).optional(),
  configuration: ZIntegrationConfiguration.optional(),
  apiKey: ZSecret.nullable().optional(),
  webhookSecret: ZWebhookSecret.nullable().optional(),
  isActive: z.boolean().optional(),
});
export type TUpdateIntegrationInput = z.input<typeof ZUpdateIntegrationInput>;

export const ZIntegrationRefInput = z.object({ projectId: z.uuid(), integrationId: z.uuid() });
export type TIntegrationRefInput = z.infer<typeof ZIntegrationRefInput>;

export const ZListIntegrationsInput = z.object({ projectId: z.uuid() });

/** What "test" recorded (project_integrations.last_test_result). */
export const ZIntegrationTestResult = z.object({
  ok: z.boolean(),
  status: z.number().int().nullable(),
  durationMs: z.number().int(),
  error: z.string().nullable(),
  /** The start of the answer, for the user to see what came back. */
  bodyPreview: z.string(),
  truncated: z.boolean(),
});
export type TIntegrationTestResult = z.infer<typeof ZIntegrationTestResult>;

/** The inbound webhook's signing scheme, shared by the route, the docs page and the outbound test call. */
export const WEBHOOK_SIGNATURE_HEADER = "X-Vaporform-Signature";
export const WEBHOOK_TIMESTAMP_HEADER = "X-Vaporform-Timestamp";
export const WEBHOOK_EVENT_HEADER = "X-Vaporform-Event";
export const WEBHOOK_TOLERANCE_SECONDS = 300;
export const WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;
