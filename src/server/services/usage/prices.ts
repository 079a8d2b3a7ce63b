import type { TCreatePriceInput, TRepriceInput } from "~/lib/schemas/usage";
import { turnCostUsd, type CallUsage, type PriceRates, type TierRates } from "~/lib/pricing";
import { Prisma } from "~/generated/prisma/client";
import type { Database } from "~/server/db/client";
import type { WriteTx } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { recordAudit } from "./audit";

/**
 * Model prices (dated rows per model that never overlap: each runs until the model's next one) and the deliberate
 * re-pricing of a date range. An interaction's cost is stored when it is written; nothing here changes it except
 * `reprice`, which an admin runs on purpose and which is audited with the totals before and after.
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

async function priceRows(db: Database | WriteTx, model?: string): Promise<PriceRow[]> {
  const rows = await db.$queryRaw<PriceSqlRow[]>`
    SELECT ${PRICE_COLUMNS}
      FROM model_prices p LEFT JOIN users u ON u.id = p.created_by
     WHERE ${model === undefined ? Prisma.sql`TRUE` : Prisma.sql`p.model = ${model}`}
     ORDER BY p.model, p.effective_from DESC`;
  return rows.map(toPriceRow);
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
export async function createPrice(options: { db: Database; adminId: string } & TCreatePriceInput) {
  const { db, adminId, model, effectiveFrom, rates, longContext, note } = options;
  try {
    return await db.$transaction(async (tx) => {
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
                ${adminId}::uuid, ${note || null})
        RETURNING id`;
      const id = created!.id;
      await recordAudit(tx, {
        adminId,
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

// ---------------------------------------------------------------------------------------------------------------
// Re-pricing
// ---------------------------------------------------------------------------------------------------------------

const REPRICE_BATCH = 5_000;
const DAY_MS = 86_400_000;

function toRates(row: PriceRow): PriceRates {
  return { base: row.rates, longContext: row.longContext };
}

/** The price row of `model` in effect at `at` (rows newest first), as vf_price_at answers it. */
export function priceAt(rows: readonly PriceRow[], at: Date): PriceRow | null {
  for (const row of rows) if (row.effectiveFrom.getTime() <= at.getTime()) return row;
  return null;
}

function count(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : null;
}

/**
 * The per-call usage of a turn from `context_data.calls` (each call `{ usage: CallUsage }`, or the usage fields on
 * the call itself; the API's snake_case names are read too). Null when absent or malformed: the row is then priced
 * as one request from its token columns.
 */
export function callsFromContext(calls: unknown): CallUsage[] | null {
  if (!Array.isArray(calls) || calls.length === 0) return null;
  const parsed: CallUsage[] = [];
  for (const call of calls) {
    if (typeof call !== "object" || call === null) return null;
    const source = ((call as { usage?: unknown }).usage ?? call) as Record<string, unknown>;
    const creation = (source.cache_creation ?? {}) as Record<string, unknown>;
    const input = count(source.inputTokens ?? source.input_tokens);
    const output = count(source.outputTokens ?? source.output_tokens);
    const cacheRead = count(source.cacheReadTokens ?? source.cache_read_input_tokens ?? 0);
    const write5m = count(
      source.cacheWrite5mTokens ?? creation.ephemeral_5m_input_tokens ?? source.cache_creation_input_tokens ?? 0,
    );
    const write1h = count(source.cacheWrite1hTokens ?? creation.ephemeral_1h_input_tokens ?? 0);
    if (input === null || output === null || cacheRead === null || write5m === null || write1h === null) return null;
    parsed.push({
      inputTokens: input,
      outputTokens: output,
      cacheReadTokens: cacheRead,
      cacheWrite5mTokens: write5m,
      cacheWrite1hTokens: write1h,
    });
  }
  return parsed;
}

interface RepriceSqlRow {
  id: string;
  model: string;
  created_at: Date;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cache_write_1h_tokens: number;
  cost_usd: string | null;
  price_id: string | null;
  calls: unknown;
}

export interface CostTotals {
  /** Sum of the priced interactions' cost, USD, 6 decimals. */
  costUsd: string;
  priced: number;
  unpriced: number;
}

function microOf(amount: string): bigint {
  const [whole = "0", fraction = ""] = amount.split(".");
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, "0").slice(0, 6));
}

function usdOf(micro: bigint): string {
  return `${micro / 1_000_000n}.${(micro % 1_000_000n).toString().padStart(6, "0")}`;
}

class Totals {
  micro = 0n;
  priced = 0;
  unpriced = 0;
  add(cost: string | null) {
    if (cost === null) this.unpriced++;
    else {
      this.priced++;
      this.micro += microOf(cost);
    }
  }
  result(): CostTotals {
    return { costUsd: usdOf(this.micro), priced: this.priced, unpriced: this.unpriced };
  }
}

/**
 * Re-prices the finished interactions created in [from, to] (UTC days, both included; of one model or all) with
 * the price rows in effect when each ran: per model call when `context_data.calls` has the calls' usage, else as
 * one request (as `vf_tokens_cost`). Answers the totals before and after and how many rows change. Unless
 * `dryRun`, writes the new `cost_usd`/`price_id` in one transaction (the rollup triggers follow) with an audit row.
 */
export async function reprice(options: { db: Database; adminId: string } & TRepriceInput) {
  const { db, adminId, model, from, to, dryRun = false } = options;
  const fromTs = new Date(`${from}T00:00:00Z`);
  const toTs = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS);
  const prices = await priceRows(db, model);
  const byModel = new Map<string, PriceRow[]>();
  for (const row of prices) byModel.set(row.model, [...(byModel.get(row.model) ?? []), row]);

  return db.$transaction(
    async (tx) => {
      const before = new Totals();
      const after = new Totals();
      let changed = 0;
      let scanned = 0;
      let cursor: { at: Date; id: string } | null = null;
      for (;;) {
        const afterCursor: Prisma.Sql = cursor
          ? Prisma.sql`AND (created_at, id) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)`
          : Prisma.empty;
        const batch: RepriceSqlRow[] = await tx.$queryRaw<RepriceSqlRow[]>`
          SELECT id, model, created_at, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
                 cache_write_1h_tokens, cost_usd::text AS cost_usd, price_id, context_data -> 'calls' AS calls
            FROM claude_interactions
           WHERE created_at >= ${fromTs} AND created_at < ${toTs} AND status <> 'running'
                 ${model === undefined ? Prisma.empty : Prisma.sql`AND model = ${model}`} ${afterCursor}
           ORDER BY created_at, id
           LIMIT ${REPRICE_BATCH}
           ${dryRun ? Prisma.empty : Prisma.sql`FOR UPDATE`}`;
        if (batch.length === 0) break;
        scanned += batch.length;
        const ids: string[] = [];
        const costs: (string | null)[] = [];
        const priceIds: (string | null)[] = [];
        for (const row of batch) {
          const price = priceAt(byModel.get(row.model) ?? [], row.created_at);
          const calls = callsFromContext(row.calls) ?? [
            {
              inputTokens: row.input_tokens ?? 0,
              outputTokens: row.output_tokens ?? 0,
              cacheReadTokens: row.cache_read_tokens,
              cacheWrite5mTokens: row.cache_write_tokens,
              cacheWrite1hTokens: row.cache_write_1h_tokens,
            },
          ];
          const cost = price ? turnCostUsd(toRates(price), calls) : null;
          before.add(row.cost_usd);
          after.add(cost);
          if (cost !== row.cost_usd || (price?.id ?? null) !== row.price_id) {
            ids.push(row.id);
            costs.push(cost);
            priceIds.push(price?.id ?? null);
          }
        }
        changed += ids.length;
        if (!dryRun && ids.length > 0) {
          await tx.$executeRaw`
            UPDATE claude_interactions c
               SET cost_usd = v.cost::numeric, price_id = v.price_id::uuid
              FROM unnest(${ids}::uuid[], ${costs}::text[], ${priceIds}::text[]) AS v(id, cost, price_id)
             WHERE c.id = v.id`;
        }
        const last: RepriceSqlRow = batch[batch.length - 1]!;
        cursor = { at: last.created_at, id: last.id };
        if (batch.length < REPRICE_BATCH) break;
      }
      const result = {
        model: model ?? null,
        from,
        to,
        dryRun,
        interactions: scanned,
        changed,
        before: before.result(),
        after: after.result(),
      };
      if (!dryRun) {
        await recordAudit(tx, {
          adminId,
          action: "usage.reprice",
          target: { model: model ?? null, from, to },
          details: { interactions: scanned, changed, before: result.before, after: result.after },
        });
      }
      return result;
    },
    { timeout: 10 * 60_000, maxWait: 10_000 },
  );
}
