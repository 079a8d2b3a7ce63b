/**
 * The Anthropic client, built from src/env.ts only: an explicit key (without one the SDK would fall back to
 * profile files) and base URL (the fake Messages API in tests).
 */
import Anthropic from "@anthropic-ai/sdk";
import { env } from "~/env";

/** Whether a key is configured: without one the assistant explains how to set ANTHROPIC_API_KEY. */
export function assistantConfigured(): boolean {
  return env.ANTHROPIC_API_KEY !== undefined;
}

/** The models offered (ANTHROPIC_MODELS), the first one the default. */
export function configuredModels(): string[] {
  return env.ANTHROPIC_MODELS;
}

let cached: { key: string; baseURL: string; client: Anthropic } | null = null;

/** The client of the process (it keeps its connections); null when no key is configured. */
export function anthropicClient(): Anthropic | null {
  if (!env.ANTHROPIC_API_KEY) return null;
  const baseURL = env.ANTHROPIC_BASE_URL ?? "https://api.anthropic.com";
  if (cached?.key === env.ANTHROPIC_API_KEY && cached.baseURL === baseURL) return cached.client;
  const client = new Anthropic({
    apiKey: env.ANTHROPIC_API_KEY,
    baseURL,
    // The SDK retries 429, 529 and 5xx with backoff (and honours retry-after and x-should-retry); what is left
    // after that fails the turn.
    maxRetries: 2,
    timeout: 10 * 60 * 1000,
  });
  cached = { key: env.ANTHROPIC_API_KEY, baseURL, client };
  return client;
}
