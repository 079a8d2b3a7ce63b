/**
 * Inputs of prices, re-pricing, AI budgets and the usage dashboards (issue 9). Client-safe (zod only): the admin
 * forms validate with the rules the server enforces. Every range is bounded (MAX_RANGE_DAYS), every top-N too.
 */
import { z } from "zod";

/** The longest date range a dashboard, an export or a re-pricing may cover. */
export const MAX_RANGE_DAYS = 400;
/** The most rows of a "top users" or "top projects" table. */
export const MAX_TOP = 50;
/** The highest price an admin may enter, USD per million tokens (list prices are far below). */
export const MAX_RATE_PER_MTOK = 10_000;
/** The highest monthly budget, USD (NUMERIC(12,2) CHECK in the migration). */
export const MAX_BUDGET_USD = 1_000_000;
/** The most months "My usage" goes back. */
export const MAX_MINE_MONTHS = 24;

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day in UTC, `YYYY-MM-DD`, that exists. */
export const ZDay = z
  .string()
  .regex(DAY_PATTERN, "Use a date like 2026-12-01.")
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, "That date does not exist.");

/** Days from `from` to `to`, both included. */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** A range of UTC days, `from` <= `to`, at most MAX_RANGE_DAYS days. */
export const ZDayRange = z
  .object({ from: ZDay, to: ZDay })
  .refine((range) => range.from <= range.to, {
    message: "The start date must not be after the end date.",
    path: ["to"],
  })
  .refine((range) => daysInRange(range.from, range.to) <= MAX_RANGE_DAYS, {
    message: `Choose a range of at most ${MAX_RANGE_DAYS} days.`,
    path: ["from"],
  });

/** A model id as the API names it: `claude-sonnet-5-5`, `claude-3-5-haiku-20241022`. */
export const ZModelId = z
  .string()
  .trim()
  .min(1, "Enter the model id.")
  .max(100, "A model id has at most 100 characters.")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/, "A model id has letters, digits and . _ : @ / - only.");

/** One rate, USD per million tokens: 0 to MAX_RATE_PER_MTOK, at most 6 decimals (NUMERIC(12,6)). */
export const ZRate = z
  .number({ error: "Enter a number." })
  .finite("Enter a number.")
  .min(0, "A price cannot be negative.")
  .max(MAX_RATE_PER_MTOK, `A price is at most ${MAX_RATE_PER_MTOK} USD per million tokens.`)
  .refine((value) => Math.abs(value * 1e6 - Math.round(value * 1e6)) < 1e-6, "Use at most 6 decimals.");

export const ZTierRatesInput = z.object({
  input: ZRate,
  output: ZRate,
  cacheWrite5m: ZRate,
  cacheWrite1h: ZRate,
  cacheRead: ZRate,
});
export type TTierRatesInput = z.infer<typeof ZTierRatesInput>;

/** A new dated price row. The long-context tier is all or nothing: a threshold and its five rates, or none. */
export const ZCreatePriceInput = z.object({
  model: ZModelId,
  effectiveFrom: z.coerce
    .date({ error: "Enter when the price takes effect." })
    .refine((date) => date.getTime() >= Date.UTC(2020, 0, 1) && date.getTime() < Date.UTC(2100, 0, 1), {
      message: "Choose a date between 2020 and 2099.",
    }),
  rates: ZTierRatesInput,
  longContext: z
    .object({
      threshold: z
        .number({ error: "Enter the threshold in tokens." })
        .int("The threshold is a whole number of tokens.")
        .min(1, "The threshold is at least 1 token.")
        .max(100_000_000, "The threshold is at most 100,000,000 tokens."),
      rates: ZTierRatesInput,
    })
    .nullable()
    .optional(),
  note: z.string().trim().max(500, "A note has at most 500 characters.").optional(),
});
export type TCreatePriceInput = z.infer<typeof ZCreatePriceInput>;

/** Re-prices the interactions of a date range (UTC days, both included), of one model or all. */
export const ZRepriceInput = z
  .object({ model: ZModelId.optional(), from: ZDay, to: ZDay, dryRun: z.boolean().optional() })
  .refine((range) => range.from <= range.to, {
    message: "The start date must not be after the end date.",
    path: ["to"],
  })
  .refine((range) => daysInRange(range.from, range.to) <= MAX_RANGE_DAYS, {
    message: `Re-price at most ${MAX_RANGE_DAYS} days at a time.`,
    path: ["from"],
  });
export type TRepriceInput = z.infer<typeof ZRepriceInput>;

/** A monthly budget in USD; null clears it (the default applies / no project budget). */
export const ZBudgetUsd = z
  .number({ error: "Enter an amount in dollars." })
  .finite("Enter an amount in dollars.")
  .min(0, "A budget cannot be negative.")
  .max(MAX_BUDGET_USD, `A budget is at most $${MAX_BUDGET_USD.toLocaleString("en-US")} a month.`);

export const ZSetBudgetDefaultsInput = z.object({ normalUsd: ZBudgetUsd, premiumUsd: ZBudgetUsd });
export type TSetBudgetDefaultsInput = z.infer<typeof ZSetBudgetDefaultsInput>;

export const ZSetUserBudgetInput = z.object({ userId: z.uuid("Unknown user."), budgetUsd: ZBudgetUsd.nullable() });
export type TSetUserBudgetInput = z.infer<typeof ZSetUserBudgetInput>;

export const ZSetProjectBudgetInput = z.object({ projectId: z.uuid(), budgetUsd: ZBudgetUsd.nullable() });
export type TSetProjectBudgetInput = z.infer<typeof ZSetProjectBudgetInput>;

/** The things admins do on purpose that `admin_audit_log` records. */
export const AUDIT_ACTIONS = [
  "price.create",
  "usage.reprice",
  "budget.defaults",
  "budget.user",
  "template.flags",
  "template.update",
  "template.delete",
  "review.hide",
] as const;
export type TAuditAction = (typeof AUDIT_ACTIONS)[number];
/** The most audit rows one page of the log shows. */
export const MAX_AUDIT_ROWS = 50;

/** The newest audit rows, of some actions or all. */
export const ZListAuditLogInput = z.object({
  limit: z.number().int().min(1).max(MAX_AUDIT_ROWS, `Show at most ${MAX_AUDIT_ROWS} rows.`).default(20),
  actions: z.array(z.enum(AUDIT_ACTIONS)).min(1).max(AUDIT_ACTIONS.length).optional(),
});
export type TListAuditLogInput = z.input<typeof ZListAuditLogInput>;

export const GRANULARITIES = ["day", "week"] as const;
export type TGranularity = (typeof GRANULARITIES)[number];

/** The admin dashboard: a range of days, by day or week, and how many top users and projects. */
export const ZUsageDashboardInput = z
  .object({
    from: ZDay,
    to: ZDay,
    granularity: z.enum(GRANULARITIES).default("day"),
    top: z.number().int().min(1).max(MAX_TOP, `Show at most ${MAX_TOP} rows.`).default(10),
  })
  .refine((range) => range.from <= range.to, {
    message: "The start date must not be after the end date.",
    path: ["to"],
  })
  .refine((range) => daysInRange(range.from, range.to) <= MAX_RANGE_DAYS, {
    message: `Choose a range of at most ${MAX_RANGE_DAYS} days.`,
    path: ["from"],
  });
export type TUsageDashboardInput = z.infer<typeof ZUsageDashboardInput>;

/** "My usage": the last `months` calendar months (UTC), optionally of one of the caller's projects. */
export const ZUsageMineInput = z.object({
  projectId: z.uuid().optional(),
  months: z.number().int().min(1).max(MAX_MINE_MONTHS).optional(),
});
export type TUsageMineInput = z.infer<typeof ZUsageMineInput>;
