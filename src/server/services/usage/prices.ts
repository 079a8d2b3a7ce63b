import type { TCreatePriceInput } from "~/lib/schemas/usage";
import type { TierRates } from "~/lib/pricing";
import { Prisma } from "~/generated/prisma/client";
import type { Database } from "~/server/db/client";
import { withWrite, type Actor, type WriteTx } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { recordAudit } from "./audit";

/**
 * Model prices: dated rows per model that never overlap (each runs until the model's next one). An interaction's
 * cost is stored when it is written; nothing here changes it (only `reprice` in ./reprice.ts does, on purpose).
 */

export interface PriceRow {
  id: string;
  model: string;
  effectiveFrom: Date;
  rates: TierRates;
  longContext: { threshold: number; rates: TierRates } | null;
  note: string | null;
  createdAt: Date;
  createdBy: string | null;
  createdByName: string | null;
}

interface PriceSqlRow {
  id: string;
  model: string;
  effective_from: Date;
  input: string;
  output: string;
  cache_read: string;
  cache_write: string;
  cache_write_1h: string;
  long_threshold: number | null;
  long_input: string | null;
  long_output: string | null;
  long_cache_read: string | null;
  long_cache_write: string | null;
  long_cache_write_1h: string | null;
  note: string | null;
  created_at: Date;
  created_by: string | null;
  created_by_name: string | null;
}

const PRICE_COLUMNS = Prisma.sql`
  p.id, p.model, p.effective_from, p.input_per_mtok::text AS input, p.output_per_mtok::text AS output,
  p.cache_read_per_mtok::text AS cache_read, p.cache_write_per_mtok::text AS cache_write,
  p.cache_write_1h_per_mtok::text AS cache_write_1h, p.long_context_threshold AS long_threshold,
  p.long_input_per_mtok::text AS long_input, p.long_output_per_mtok::text AS long_output,
  p.long_cache_read_per_mtok::text AS long_cache_read, p.long_cache_write_per_mtok::text AS long_cache_write,
  p.long_cache_write_1h_per_mtok::text AS long_cache_write_1h, p.note, p.created_at, p.created_by,
  u.username::text AS created_by_name`;

function toPriceRow(row: PriceSqlRow): PriceRow {
  const longContext =
    row.long_threshold === null
      ? null
      : {
          threshold: row.long_threshold,
          rates: {
            input: row.long_input ?? "0",
            output: row.long_output ?? "0",
            cacheRead: row.long_cache_read ?? "0",
            cacheWrite5m: row.long_cache_write ?? "0",
            cacheWrite1h: row.long_cache_write_1h ?? "0",
          },
        };
  return {
    id: row.id,
    model: row.model,
    effectiveFrom: row.effective_from,
    rates: {
      input: row.input,
      output: row.output,
      cacheRead: row.cache_read,
      cacheWrite5m: row.cache_write,
      cacheWrite1h: row.cache_write_1h,
    },
    longContext,
    note: row.note,
    createdAt: row.created_at,
    createdBy: row.created_by,
    createdByName: row.created_by_name,
  };
}

export async function priceRows(db: Database | WriteTx, model?: string): Promise<PriceRow[]> {
  const rows = await db.$queryRaw<PriceSqlRow[]>`
    SELECT ${PRICE_COLUMNS}
      FROM model_prices p LEFT JOIN users u ON u.id = p.created_by
     WHERE ${model === undefined ? Prisma.sql`TRUE` : Prisma.sql`p.model = ${model}`}
     ORDER BY p.model, p.effective_from DESC`;
  return rows.map(toPriceRow);
}

/** The price row of `model` in effect at `at` (`vf_price_at`, the rule the database prices with), or null. */
export async function priceInEffect(
  db: Pick<Database, "$queryRaw">,
  model: string,
  at: Date,
): Promise<PriceRow | null> {
  const rows = await db.$queryRaw<PriceSqlRow[]>`
    SELECT ${PRICE_COLUMNS}
      FROM vf_price_at(${model}::varchar, ${at}::timestamptz) p LEFT JOIN users u ON u.id = p.created_by
     WHERE p.id IS NOT NULL`;
  return rows[0] ? toPriceRow(rows[0]) : null;
}

/**
 * Every model's dated price rows, newest first, with the one in effect now marked `current` (later rows are
 * `scheduled`), plus the models that have usage but no price (their turns are counted as unpriced).
 */
export async function listPrices(options: { db: Database; now?: Date }) {
  const { db } = options;
  const now = options.now ?? new Date();
  const rows = await priceRows(db);
  const models = new Map<string, (PriceRow & { state: "current" | "scheduled" | "past" })[]>();
  for (const row of rows) {
    // Rows come newest first: the first one at or before now is current, earlier ones past, later ones scheduled.
    const list = models.get(row.model) ?? [];
    const hasCurrent = list.some((earlier) => earlier.state === "current");
    const state = row.effectiveFrom > now ? "scheduled" : hasCurrent ? "past" : "current";
    list.push({ ...row, state });
    models.set(row.model, list);
  }
  const unpriced = await db.$queryRaw<{ model: string; interactions: bigint; tokens: bigint }[]>`
    SELECT model, sum(unpriced_interactions)::bigint AS interactions, sum(unpriced_tokens)::bigint AS tokens
      FROM claude_usage_daily_models GROUP BY model HAVING sum(unpriced_interactions) > 0 ORDER BY model`;
  return {
    models: [...models.entries()].map(([model, prices]) => ({
      model,
      current: prices.find((row) => row.state === "current") ?? null,
      prices,
    })),
    unpricedUsage: unpriced.map((row) => ({
      model: row.model,
      interactions: Number(row.interactions),
      tokens: Number(row.tokens),
      hasPrice: models.has(row.model),
    })),
  };
}

function rate(value: number): string {
  return value.toFixed(6);
}

/**
 * Adds a dated price row. Its `effectiveFrom` must be after the model's latest row (rows never overlap, and a row
 * an interaction was priced with is never rewritten): a duplicate or earlier date is a CONFLICT and nothing is
 * written. Interactions already recorded keep their cost until an admin re-prices them.
 */
export async function createPrice(options: { db: Database; actor: Actor } & TCreatePriceInput) {
  const { db, actor, model, effectiveFrom, rates, longContext, note } = options;
  try {
    return await withWrite(db, actor, async (tx) => {
      // Serialises price changes of one model, so two admins cannot both pass the "after the latest" check.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('vf_model_prices'), hashtext(${model}))`;
      const [latest] = await tx.$queryRaw<{ effective_from: Date }[]>`
        SELECT effective_from FROM model_prices WHERE model = ${model} ORDER BY effective_from DESC LIMIT 1`;
      if (latest && effectiveFrom.getTime() <= latest.effective_from.getTime()) {
        const same = effectiveFrom.getTime() === latest.effective_from.getTime();
        throw new AppError(
          "CONFLICT",
          same
            ? `${model} already has a price from ${latest.effective_from.toISOString()}. Prices are never edited: add a row with a later date.`
            : `${model} has a price from ${latest.effective_from.toISOString()}; a new price must start after it (rows never overlap).`,
          { latestEffectiveFrom: latest.effective_from.toISOString() },
        );
      }
      const [created] = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO model_prices (model, effective_from, input_per_mtok, output_per_mtok, cache_read_per_mtok,
                                  cache_write_per_mtok, cache_write_1h_per_mtok, long_context_threshold,
                                  long_input_per_mtok, long_output_per_mtok, long_cache_read_per_mtok,
                                  long_cache_write_per_mtok, long_cache_write_1h_per_mtok, created_by, note)
        VALUES (${model}, ${effectiveFrom}, ${rate(rates.input)}::numeric, ${rate(rates.output)}::numeric,
                ${rate(rates.cacheRead)}::numeric, ${rate(rates.cacheWrite5m)}::numeric,
                ${rate(rates.cacheWrite1h)}::numeric, ${longContext?.threshold ?? null}::integer,
                ${longContext ? rate(longContext.rates.input) : null}::numeric,
                ${longContext ? rate(longContext.rates.output) : null}::numeric,
                ${longContext ? rate(longContext.rates.cacheRead) : null}::numeric,
                ${longContext ? rate(longContext.rates.cacheWrite5m) : null}::numeric,
                ${longContext ? rate(longContext.rates.cacheWrite1h) : null}::numeric,
                ${actor.userId}::uuid, ${note || null})
        RETURNING id`;
      const id = created!.id;
      await recordAudit(tx, {
        adminId: actor.userId,
        action: "price.create",
        target: { model, priceId: id },
        details: {
          effectiveFrom: effectiveFrom.toISOString(),
          rates,
          longContext: longContext ?? null,
          note: note ?? null,
        },
      });
      const [row] = await tx.$queryRaw<PriceSqlRow[]>`
        SELECT ${PRICE_COLUMNS} FROM model_prices p LEFT JOIN users u ON u.id = p.created_by WHERE p.id = ${id}::uuid`;
      return toPriceRow(row!);
    });
  } catch (error) {
    // Two rows at the same instant despite the lock (a row written by another path): the same refusal.
    if (/model_prices_model_effective_from_key|23505|P2002/.test(String((error as Error)?.message ?? error))) {
      throw new AppError("CONFLICT", `${model} already has a price from ${effectiveFrom.toISOString()}.`);
    }
    throw error;
  }
}
