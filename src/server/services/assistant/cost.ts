/**
 * The price of a turn: the `model_prices` row in effect for its model when the turn started (`vf_price_at`),
 * applied to each model call on its own (src/lib/pricing.ts). No row: the turn is unpriced (cost NULL, never $0).
 */
import type { CallUsage, PriceRates } from "~/lib/pricing";
import { turnCostUsd } from "~/lib/pricing";
import type { Database } from "~/server/db/client";

export interface PriceRow {
  id: string;
  rates: PriceRates;
}

interface Row {
  id: string | null;
  input: string;
  output: string;
  cache_write: string;
  cache_write_1h: string;
  cache_read: string;
  threshold: number | null;
  long_input: string | null;
  long_output: string | null;
  long_cache_write: string | null;
  long_cache_write_1h: string | null;
  long_cache_read: string | null;
}

/** The price row of `model` at `at`, or null when the model has none then. */
export async function priceAt(db: Pick<Database, "$queryRaw">, model: string, at: Date): Promise<PriceRow | null> {
  const rows = await db.$queryRaw<Row[]>`
    SELECT p.id, p.input_per_mtok::text AS input, p.output_per_mtok::text AS output,
           p.cache_write_per_mtok::text AS cache_write, p.cache_write_1h_per_mtok::text AS cache_write_1h,
           p.cache_read_per_mtok::text AS cache_read, p.long_context_threshold AS threshold,
           p.long_input_per_mtok::text AS long_input, p.long_output_per_mtok::text AS long_output,
           p.long_cache_write_per_mtok::text AS long_cache_write,
           p.long_cache_write_1h_per_mtok::text AS long_cache_write_1h,
           p.long_cache_read_per_mtok::text AS long_cache_read
      FROM vf_price_at(${model}::varchar, ${at}::timestamptz) p`;
  const row = rows[0];
  if (!row?.id) return null;
  const long =
    row.threshold !== null &&
    row.long_input !== null &&
    row.long_output !== null &&
    row.long_cache_write !== null &&
    row.long_cache_write_1h !== null &&
    row.long_cache_read !== null
      ? {
          threshold: row.threshold,
          rates: {
            input: row.long_input,
            output: row.long_output,
            cacheWrite5m: row.long_cache_write,
            cacheWrite1h: row.long_cache_write_1h,
            cacheRead: row.long_cache_read,
          },
        }
      : null;
  return {
    id: row.id,
    rates: {
      base: {
        input: row.input,
        output: row.output,
        cacheWrite5m: row.cache_write,
        cacheWrite1h: row.cache_write_1h,
        cacheRead: row.cache_read,
      },
      longContext: long,
    },
  };
}

/** The cost of a turn's calls and the price row used; both null when unpriced. */
export async function priceTurn(
  db: Pick<Database, "$queryRaw">,
  model: string,
  startedAt: Date,
  calls: readonly CallUsage[],
): Promise<{ costUsd: string | null; priceId: string | null }> {
  const price = await priceAt(db, model, startedAt);
  if (!price) return { costUsd: null, priceId: null };
  return { costUsd: turnCostUsd(price.rates, calls), priceId: price.id };
}
