/**
 * The price of a turn: the `model_prices` row in effect for its model when the turn started (`vf_price_at`),
 * applied to each model call on its own (src/lib/pricing.ts). No row: the turn is unpriced (cost NULL, never $0).
 */
import type { CallUsage } from "~/lib/pricing";
import { turnCostUsd } from "~/lib/pricing";
import type { Database } from "~/server/db/client";
import { priceInEffect } from "~/server/services/usage/prices";

/** The cost of a turn's calls and the price row used; both null when unpriced. */
export async function priceTurn(
  db: Pick<Database, "$queryRaw">,
  model: string,
  startedAt: Date,
  calls: readonly CallUsage[],
): Promise<{ costUsd: string | null; priceId: string | null }> {
  const price = await priceInEffect(db, model, startedAt);
  if (!price) return { costUsd: null, priceId: null };
  return { costUsd: turnCostUsd({ base: price.rates, longContext: price.longContext }, calls), priceId: price.id };
}
