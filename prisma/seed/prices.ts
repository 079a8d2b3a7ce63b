/** 4. Model prices (USD per million tokens). */
import type pg from "pg";
import { withTransaction } from "~/server/db/pool";
import { type Model, seedUuid } from "./helpers";

interface PriceRow {
  model: string;
  effectiveFrom: string;
  prices: [input: number, output: number, cacheRead: number, cacheWrite: number, cacheWrite1h: number];
  /** Prompts above `threshold` tokens: the whole request at these rates (same order as `prices`). */
  longContext?: { threshold: number; prices: PriceRow["prices"] };
}

/** Launch prices. Haiku's launch row is deliberately higher: the demo shows a dated price change (below). */
export const BASE_PRICES: (PriceRow & { model: Model })[] = [
  { model: "claude-opus-4-1", effectiveFrom: "2025-08-05T00:00:00Z", prices: [15, 75, 1.5, 18.75, 30] },
  { model: "claude-sonnet-4-5", effectiveFrom: "2025-09-29T00:00:00Z", prices: [3, 15, 0.3, 3.75, 6] },
  { model: "claude-haiku-4-5", effectiveFrom: "2025-10-15T00:00:00Z", prices: [1.25, 6.25, 0.125, 1.5625, 2.5] },
];
export const HAIKU_PRICE_CUT: PriceRow["prices"] = [1, 5, 0.1, 1.25, 2];
export const HAIKU_PRICE_CUT_DAYS_AGO = 24;

/**
 * The models offered by default (ANTHROPIC_MODELS), at Anthropic's list prices as published on 2026-12-01
 * (platform.claude.com model pages). Sonnet 5.5's cache read is the documented $0.20; some trackers report a cut to
 * $0.10 from 2026-10-07 that the official page does not show: an admin adds a dated row if it is confirmed.
 */
export const CURRENT_PRICES: PriceRow[] = [
  { model: "claude-opus-5-5", effectiveFrom: "2026-12-01T00:00:00Z", prices: [4, 20, 0.2, 5, 8] },
  { model: "claude-sonnet-5-5", effectiveFrom: "2026-12-01T00:00:00Z", prices: [2, 10, 0.2, 2.5, 4] },
  {
    model: "claude-haiku-5-5",
    effectiveFrom: "2026-12-01T00:00:00Z",
    prices: [0.1, 0.5, 0.01, 0.125, 0.2],
    longContext: { threshold: 100_000, prices: [0.5, 2.5, 0.05, 0.625, 1] },
  },
];

const INSERT_PRICE = `INSERT INTO model_prices (id, model, effective_from, input_per_mtok, output_per_mtok,
                                                 cache_read_per_mtok, cache_write_per_mtok, cache_write_1h_per_mtok,
                                                 long_context_threshold, long_input_per_mtok, long_output_per_mtok,
                                                 long_cache_read_per_mtok, long_cache_write_per_mtok,
                                                 long_cache_write_1h_per_mtok)
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                      ON CONFLICT DO NOTHING`;

export async function insertModelPrices(db: pg.Pool): Promise<number> {
  return withTransaction(db, async (client) => {
    let inserted = 0;
    for (const row of [...BASE_PRICES, ...CURRENT_PRICES]) {
      const result = await client.query(INSERT_PRICE, [
        seedUuid(`price:${row.model}:${row.effectiveFrom}`),
        row.model,
        row.effectiveFrom,
        ...row.prices,
        row.longContext?.threshold ?? null,
        ...(row.longContext?.prices ?? [null, null, null, null, null]),
      ]);
      inserted += result.rowCount ?? 0;
    }
    return inserted;
  });
}
