import { describe, expect, it } from "vitest";
import { turnCostUsd } from "~/lib/pricing";
import { db } from "~/server/db/client";
import { priceTurn } from "~/server/services/assistant/cost";
import { pool } from "../db";
import { expectFailure } from "../files/support";
import { interaction, person, project, rollupVersusRaw, tag } from "./support";

const RATES = { input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2 };

async function priceRowCount(model: string): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM model_prices WHERE model = $1`, [model]);
  return rows[0].n as number;
}

async function auditRows(action: string) {
  const { rows } = await pool.query(
    `SELECT admin_id, target, details FROM admin_audit_log WHERE action = $1 ORDER BY created_at`,
    [action],
  );
  return rows as { admin_id: string; target: Record<string, unknown>; details: Record<string, unknown> }[];
}

describe("admin.prices", () => {
  it("adds dated rows, lists them per model newest first with the current one marked, and audits each", async () => {
    const admin = await person({ role: "admin" });
    const model = `claude-p-${tag()}`;
    await admin.api.admin.prices.create({ model, effectiveFrom: new Date("2026-01-01T00:00:00Z"), rates: RATES });
    await admin.api.admin.prices.create({
      model,
      effectiveFrom: new Date("2026-06-01T00:00:00Z"),
      rates: { ...RATES, cacheRead: 0.1 },
      longContext: {
        threshold: 200_000,
        rates: { input: 4, output: 15, cacheWrite5m: 5, cacheWrite1h: 8, cacheRead: 0.4 },
      },
      note: "cache read halved",
    });
    await admin.api.admin.prices.create({ model, effectiveFrom: new Date("2099-01-01T00:00:00Z"), rates: RATES });

    const list = await admin.api.admin.prices.list();
    const entry = list.models.find((m) => m.model === model)!;
    expect(entry.prices.map((p) => [p.effectiveFrom.toISOString().slice(0, 10), p.state])).toEqual([
      ["2099-01-01", "scheduled"],
      ["2026-06-01", "current"],
      ["2026-01-01", "past"],
    ]);
    expect(entry.current?.rates).toEqual({
      input: "2.000000",
      output: "10.000000",
      cacheRead: "0.100000",
      cacheWrite5m: "2.500000",
      cacheWrite1h: "4.000000",
    });
    expect(entry.current?.longContext?.threshold).toBe(200_000);
    expect(entry.current?.note).toBe("cache read halved");
    expect(entry.current?.createdBy).toBe(admin.userId);
    const audit = (await auditRows("price.create")).filter((row) => row.target.model === model);
    expect(audit).toHaveLength(3);
    expect(audit[0]!.admin_id).toBe(admin.userId);
  });

  it("refuses a row at or before the model's latest (rows never overlap), writing nothing", async () => {
    const admin = await person({ role: "admin" });
    const model = `claude-o-${tag()}`;
    await admin.api.admin.prices.create({ model, effectiveFrom: new Date("2026-06-01T00:00:00Z"), rates: RATES });
    await expectFailure(
      admin.api.admin.prices.create({ model, effectiveFrom: new Date("2026-06-01T00:00:00Z"), rates: RATES }),
      "CONFLICT",
      /already has a price from 2026-06-01/,
    );
    await expectFailure(
      admin.api.admin.prices.create({ model, effectiveFrom: new Date("2026-03-01T00:00:00Z"), rates: RATES }),
      "CONFLICT",
      /must start after it/,
    );
    expect(await priceRowCount(model)).toBe(1);
    expect((await auditRows("price.create")).filter((row) => row.target.model === model)).toHaveLength(1);
  });

  it("refuses negative, huge, non-number rates and a half-given long-context tier as BAD_REQUEST", async () => {
    const admin = await person({ role: "admin" });
    const model = `claude-bad-${tag()}`;
    const at = new Date("2026-06-01T00:00:00Z");
    await expectFailure(
      admin.api.admin.prices.create({ model, effectiveFrom: at, rates: { ...RATES, input: -1 } }),
      "BAD_REQUEST",
      /negative/,
    );
    await expectFailure(
      admin.api.admin.prices.create({ model, effectiveFrom: at, rates: { ...RATES, output: 1e9 } }),
      "BAD_REQUEST",
    );
    await expectFailure(
      admin.api.admin.prices.create({
        model,
        effectiveFrom: at,
        rates: { ...RATES, cacheRead: "x" as unknown as number },
      }),
      "BAD_REQUEST",
    );
    await expectFailure(
      admin.api.admin.prices.create({ model, effectiveFrom: at, rates: { ...RATES, input: Number.NaN } }),
      "BAD_REQUEST",
    );
    await expectFailure(
      admin.api.admin.prices.create({
        model,
        effectiveFrom: at,
        rates: RATES,
        longContext: { threshold: 100_000 } as never,
      }),
      "BAD_REQUEST",
    );
    await expectFailure(
      admin.api.admin.prices.create({ model: "bad model!", effectiveFrom: at, rates: RATES }),
      "BAD_REQUEST",
    );
    expect(await priceRowCount(model)).toBe(0);
  });

  it("is for admins only", async () => {
    const user = await person();
    await expectFailure(user.api.admin.prices.list(), "FORBIDDEN");
    await expectFailure(
      user.api.admin.prices.create({ model: "claude-x", effectiveFrom: new Date(), rates: RATES }),
      "FORBIDDEN",
    );
    await expectFailure(user.api.admin.reprice({ from: "2026-01-01", to: "2026-01-31" }), "FORBIDDEN");
  });
});

describe("priceTurn (the assistant's price of a turn)", () => {
  it("uses the row in effect when the turn started, long-context tier included, and is unpriced before the first row", async () => {
    const admin = await person({ role: "admin" });
    const model = `claude-t-${tag()}`;
    const long = {
      threshold: 1_000,
      rates: { input: 4, output: 20, cacheWrite5m: 5, cacheWrite1h: 8, cacheRead: 0.4 },
    };
    await admin.api.admin.prices.create({ model, effectiveFrom: new Date("2026-01-01T00:00:00Z"), rates: RATES });
    await admin.api.admin.prices.create({
      model,
      effectiveFrom: new Date("2026-06-01T00:00:00Z"),
      rates: RATES,
      longContext: long,
    });
    const small = {
      inputTokens: 100,
      outputTokens: 10,
      cacheReadTokens: 0,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
    };
    const big = { ...small, inputTokens: 5_000 };

    expect(await priceTurn(db, model, new Date("2025-12-31T00:00:00Z"), [small])).toEqual({
      costUsd: null,
      priceId: null,
    });
    const early = await priceTurn(db, model, new Date("2026-03-01T00:00:00Z"), [big]);
    const late = await priceTurn(db, model, new Date("2026-07-01T00:00:00Z"), [big]);
    expect(early.priceId).not.toBe(late.priceId);
    // 5,000 input tokens pass the threshold: the later row charges them at the long rates.
    expect(Number(early.costUsd)).toBeCloseTo((5_000 * 2 + 10 * 10) / 1e6, 9);
    expect(Number(late.costUsd)).toBeCloseTo((5_000 * 4 + 10 * 20) / 1e6, 9);
    const { rows } = await pool.query(`SELECT id FROM model_prices WHERE model = $1 ORDER BY effective_from`, [model]);
    expect([early.priceId, late.priceId]).toEqual(rows.map((row) => row.id));
  });
});

describe("admin.reprice", () => {
  it("re-prices a range with the rows in effect (per call when calls are recorded), shows before/after, audits, and keeps the rollup exact", async () => {
    const admin = await person({ role: "admin" });
    const owner = await person();
    const p = await project(owner.userId);
    const model = `claude-r-${tag()}`;
    const old = await admin.api.admin.prices.create({
      model,
      effectiveFrom: new Date("2026-01-01T00:00:00Z"),
      rates: RATES,
    });
    // Interactions recorded at a wrong (stale) cost: 1.00 each.
    const plain = await interaction(p, owner.userId, {
      model,
      createdAt: "2026-02-10T12:00:00Z",
      input: 1_000_000,
      output: 100_000,
      costUsd: "1.000000",
      priceId: old.id,
    });
    const calls = [
      {
        requestId: "req_1",
        usage: {
          inputTokens: 1000,
          outputTokens: 200,
          cacheReadTokens: 50_000,
          cacheWrite5mTokens: 0,
          cacheWrite1hTokens: 0,
        },
      },
      {
        requestId: "req_2",
        usage: {
          inputTokens: 300,
          outputTokens: 100,
          cacheReadTokens: 51_000,
          cacheWrite5mTokens: 2000,
          cacheWrite1hTokens: 0,
        },
      },
    ];
    const perCall = await interaction(p, owner.userId, {
      model,
      createdAt: "2026-02-11T12:00:00Z",
      input: 1300,
      output: 300,
      cacheRead: 101_000,
      cacheWrite: 2000,
      costUsd: "1.000000",
      priceId: old.id,
      calls,
    });
    // Outside the range: untouched.
    const outside = await interaction(p, owner.userId, {
      model,
      createdAt: "2026-03-05T00:00:00Z",
      costUsd: "1.000000",
      priceId: old.id,
    });
    // Another model, never priced: stays unpriced.
    await interaction(p, owner.userId, { model: `claude-none-${tag()}`, createdAt: "2026-02-12T00:00:00Z" });

    const dry = await admin.api.admin.reprice({ model, from: "2026-02-01", to: "2026-02-28", dryRun: true });
    const expectedPlain = turnCostUsd(
      {
        base: { input: "2", output: "10", cacheWrite5m: "2.5", cacheWrite1h: "4", cacheRead: "0.2" },
        longContext: null,
      },
      [
        {
          inputTokens: 1_000_000,
          outputTokens: 100_000,
          cacheReadTokens: 0,
          cacheWrite5mTokens: 0,
          cacheWrite1hTokens: 0,
        },
      ],
    );
    expect(expectedPlain).toBe("3.000000");
    const expectedPerCall = turnCostUsd(
      {
        base: { input: "2", output: "10", cacheWrite5m: "2.5", cacheWrite1h: "4", cacheRead: "0.2" },
        longContext: null,
      },
      calls.map((c) => c.usage),
    );
    expect(dry).toMatchObject({
      dryRun: true,
      interactions: 2,
      changed: 2,
      before: { costUsd: "2.000000", priced: 2, unpriced: 0 },
    });
    expect(dry.after.costUsd).toBe((3 + Number(expectedPerCall)).toFixed(6));
    const unchanged = await pool.query(`SELECT cost_usd::text FROM claude_interactions WHERE id = $1`, [plain]);
    expect(unchanged.rows[0].cost_usd).toBe("1.000000");
    expect(
      (
        await pool.query(`SELECT 1 FROM admin_audit_log WHERE action = 'usage.reprice' AND target->>'model' = $1`, [
          model,
        ])
      ).rowCount,
    ).toBe(0);

    const real = await admin.api.admin.reprice({ model, from: "2026-02-01", to: "2026-02-28" });
    expect(real.after).toEqual(dry.after);
    const costs = await pool.query(
      `SELECT id, cost_usd::text, price_id FROM claude_interactions WHERE id = ANY($1::uuid[])`,
      [[plain, perCall, outside]],
    );
    const byId = Object.fromEntries(costs.rows.map((row) => [row.id, row]));
    expect(byId[plain].cost_usd).toBe("3.000000");
    expect(byId[perCall].cost_usd).toBe(expectedPerCall);
    expect(byId[outside].cost_usd).toBe("1.000000");

    const audit = await pool.query(
      `SELECT admin_id, details FROM admin_audit_log WHERE action = 'usage.reprice' AND target->>'model' = $1`,
      [model],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].admin_id).toBe(admin.userId);
    expect(audit.rows[0].details).toMatchObject({
      changed: 2,
      before: { costUsd: "2.000000" },
      after: { costUsd: real.after.costUsd },
    });

    const { rollup, raw } = await rollupVersusRaw();
    expect(rollup).toEqual(raw);

    // Run again: nothing changes.
    const again = await admin.api.admin.reprice({ model, from: "2026-02-01", to: "2026-02-28" });
    expect(again.changed).toBe(0);
    expect(again.before).toEqual(again.after);
  });

  it("prices a turn whose prompt passes the long-context threshold at the long rates, and a model with no row at its date as unpriced", async () => {
    const admin = await person({ role: "admin" });
    const owner = await person();
    const p = await project(owner.userId);
    const model = `claude-l-${tag()}`;
    await admin.api.admin.prices.create({
      model,
      effectiveFrom: new Date("2026-05-01T00:00:00Z"),
      rates: { input: 0.1, output: 0.5, cacheWrite5m: 0.125, cacheWrite1h: 0.2, cacheRead: 0.01 },
      longContext: {
        threshold: 100_000,
        rates: { input: 0.5, output: 2.5, cacheWrite5m: 0.625, cacheWrite1h: 1, cacheRead: 0.05 },
      },
    });
    const long = await interaction(p, owner.userId, {
      model,
      createdAt: "2026-05-02T00:00:00Z",
      input: 100_001,
      output: 1000,
    });
    const short = await interaction(p, owner.userId, {
      model,
      createdAt: "2026-05-02T00:00:00Z",
      input: 100_000,
      output: 1000,
    });
    const before = await interaction(p, owner.userId, {
      model,
      createdAt: "2026-04-30T23:59:59Z",
      costUsd: "0.500000",
    });
    const result = await admin.api.admin.reprice({ model, from: "2026-04-01", to: "2026-05-31" });
    expect(result.before).toEqual({ costUsd: "0.500000", priced: 1, unpriced: 2 });
    expect(result.after).toEqual({ costUsd: (0.0500005 + 0.0025 + 0.01 + 0.0005).toFixed(6), priced: 2, unpriced: 1 });
    const costs = await pool.query(`SELECT id, cost_usd::text FROM claude_interactions WHERE id = ANY($1::uuid[])`, [
      [long, short, before],
    ]);
    const byId = Object.fromEntries(costs.rows.map((row) => [row.id, row.cost_usd]));
    expect(byId[long]).toBe("0.052501");
    expect(byId[short]).toBe("0.010500");
    expect(byId[before]).toBeNull();
    const { rollup, raw } = await rollupVersusRaw();
    expect(rollup).toEqual(raw);
  });

  it("refuses a range over 400 days or upside down", async () => {
    const admin = await person({ role: "admin" });
    await expectFailure(admin.api.admin.reprice({ from: "2025-01-01", to: "2026-12-31" }), "BAD_REQUEST", /400 days/);
    await expectFailure(
      admin.api.admin.reprice({ from: "2026-02-01", to: "2026-01-01" }),
      "BAD_REQUEST",
      /not be after/,
    );
    await expectFailure(
      admin.api.admin.reprice({ from: "2026-02-30", to: "2026-03-01" }),
      "BAD_REQUEST",
      /does not exist/,
    );
  });
});
