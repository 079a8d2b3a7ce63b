import type { TRepriceInput } from "~/lib/schemas/usage";
import { turnCostUsd, type CallUsage, type PriceRates } from "~/lib/pricing";
import { Prisma } from "~/generated/prisma/client";
import type { Database } from "~/server/db/client";
import { withWrite, type Actor } from "~/server/db/write";
import { recordAudit } from "./audit";
import { priceRows, type PriceRow } from "./prices";

/**
 * The deliberate re-pricing of a date range: the only change to an interaction's stored cost after it is written.
 * An admin runs it on purpose (a dry run first answers the totals before and after); the real run is audited with
 * those totals.
 */

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
export async function reprice(options: { db: Database; actor: Actor } & TRepriceInput) {
  const { db, actor, model, from, to, dryRun = false } = options;
  const fromTs = new Date(`${from}T00:00:00Z`);
  const toTs = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS);
  const prices = await priceRows(db, model);
  const byModel = new Map<string, PriceRow[]>();
  for (const row of prices) byModel.set(row.model, [...(byModel.get(row.model) ?? []), row]);

  return withWrite(
    db,
    actor,
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
          adminId: actor.userId,
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
