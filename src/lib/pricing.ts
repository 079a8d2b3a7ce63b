/**
 * Token cost, priced per model call: a price row of `model_prices` (USD per million tokens) applied to the usage
 * the Messages API reported for one call. Pure, so the server (cost stored with each interaction), the re-pricing
 * of a date range and the tests all use one computation. Amounts are kept in millionths of a dollar as integers
 * (BigInt) while adding up, so a sum of many calls never drifts the way floating point would.
 */

/** The usage of one model call, as the API reports it (cache tokens come on top of `inputTokens`). */
export interface CallUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  /** `cache_creation.ephemeral_5m_input_tokens` (or `cache_creation_input_tokens` when no split is given). */
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
}

/** The rates of one tier, USD per million tokens, as decimal strings (NUMERIC(12,6) in PostgreSQL). */
export interface TierRates {
  input: string;
  output: string;
  cacheWrite5m: string;
  cacheWrite1h: string;
  cacheRead: string;
}

/** A dated price row: base rates, and optionally a long-context tier for prompts above `threshold` tokens. */
export interface PriceRates {
  base: TierRates;
  longContext: { threshold: number; rates: TierRates } | null;
}

/** A call's prompt size, which decides its tier: every input token, cached or not. */
export function promptTokens(usage: CallUsage): number {
  return usage.inputTokens + usage.cacheReadTokens + usage.cacheWrite5mTokens + usage.cacheWrite1hTokens;
}

/** The tier a call is priced at: the whole request at the long-context rates once its prompt passes the threshold. */
export function ratesFor(price: PriceRates, usage: CallUsage): TierRates {
  if (price.longContext && promptTokens(usage) > price.longContext.threshold) return price.longContext.rates;
  return price.base;
}

/** Millionths of a dollar per million tokens: "4.000000" USD/Mtok is 4,000,000 micro-USD per Mtok. */
function microPerMtok(rate: string): bigint {
  const match = /^(\d+)(?:\.(\d{0,6})\d*)?$/.exec(rate.trim());
  if (!match) throw new Error(`not a price: ${rate}`);
  return BigInt(match[1]!) * 1_000_000n + BigInt((match[2] ?? "").padEnd(6, "0"));
}

/**
 * Cost of one call in pico-dollars (10^-12 USD): tokens × micro-USD per Mtok is exact in integers, and so is any
 * sum of calls; round only once, at the end (`formatMicroUsd`).
 */
export function callCostPico(price: PriceRates, usage: CallUsage): bigint {
  const rates = ratesFor(price, usage);
  return (
    BigInt(usage.inputTokens) * microPerMtok(rates.input) +
    BigInt(usage.outputTokens) * microPerMtok(rates.output) +
    BigInt(usage.cacheWrite5mTokens) * microPerMtok(rates.cacheWrite5m) +
    BigInt(usage.cacheWrite1hTokens) * microPerMtok(rates.cacheWrite1h) +
    BigInt(usage.cacheReadTokens) * microPerMtok(rates.cacheRead)
  );
}

/** Cost of a turn's calls, USD as a decimal string with 6 places (NUMERIC(14,6)), rounded half up once. */
export function turnCostUsd(price: PriceRates, calls: readonly CallUsage[]): string {
  const pico = calls.reduce((sum, call) => sum + callCostPico(price, call), 0n);
  const micro = (pico + 500_000n) / 1_000_000n;
  const whole = micro / 1_000_000n;
  const fraction = (micro % 1_000_000n).toString().padStart(6, "0");
  return `${whole}.${fraction}`;
}

/** Sums usage over calls (the interaction row's token columns). */
export function sumUsage(calls: readonly CallUsage[]): CallUsage {
  return calls.reduce<CallUsage>(
    (sum, call) => ({
      inputTokens: sum.inputTokens + call.inputTokens,
      outputTokens: sum.outputTokens + call.outputTokens,
      cacheReadTokens: sum.cacheReadTokens + call.cacheReadTokens,
      cacheWrite5mTokens: sum.cacheWrite5mTokens + call.cacheWrite5mTokens,
      cacheWrite1hTokens: sum.cacheWrite1hTokens + call.cacheWrite1hTokens,
    }),
    { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 },
  );
}

/** Every token of a turn: input, output and all cache tokens (the `total_tokens` column). */
export function totalTokens(usage: CallUsage): number {
  return promptTokens(usage) + usage.outputTokens;
}
