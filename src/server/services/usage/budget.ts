import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { formatUsd, monthLabel } from "~/lib/charts/format";

/**
 * AI budgets (issue 9, item 10), USD per calendar month in UTC: every user has one (their override
 * `users.ai_budget_usd`, else the install default for normal or premium users in `install_settings`, else the
 * built-in default below), and a project may have one too (`projects.ai_budget_usd`). Spend is the month-to-date
 * `cost_usd` of the daily rollup (finished turns; unpriced turns count nothing because their cost is unknown).
 * At 80 % of either budget the panel warns; at 100 % turns are refused before any API call.
 */

/** `install_settings` names of the defaults. */
export const BUDGET_SETTING = { normal: "ai_budget_default_usd", premium: "ai_budget_premium_usd" } as const;
/** The defaults until an admin sets them, USD a month. */
export const BUILT_IN_BUDGET_USD = { normal: 25, premium: 100 } as const;
export const WARNING_RATIO = 0.8;

export type BudgetLevel = "ok" | "warning" | "exceeded";

/** One budget against its spend (amounts as 2-decimal / 6-decimal strings, exact). */
export interface BudgetLine {
  scope: "user" | "project";
  /** Where the budget comes from: the user's override, a default (normal or premium), or the project's own. */
  source: "override" | "default" | "premium-default" | "project";
  budgetUsd: string;
  spentUsd: string;
  /** spent / budget (1 when the budget is 0). */
  ratio: number;
  level: BudgetLevel;
}

/** Where a user stands against the AI budgets that apply to a turn in one project (monthly, UTC). */
export interface BudgetStatus {
  /** "ok", "warning" (at or above 80 % of a budget), or "exceeded" (at or above 100 %: turns are refused). */
  level: "ok" | "warning" | "exceeded";
  /** A sentence for the assistant panel when level is not "ok". */
  message: string | null;
  /** The figures behind the level: the month (`YYYY-MM`), the user's budget and the project's (when it has one). */
  details?: { month: string; user: BudgetLine; project: BudgetLine | null };
}

/** The first instant of the UTC month of `now`, and the month as `YYYY-MM`. */
export function monthOf(now: Date): { start: Date; month: string } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return { start, month: start.toISOString().slice(0, 7) };
}

/** Micro-dollars of a decimal string (exact; amounts here have at most 6 decimals). */
function micro(amount: string): bigint {
  const negative = amount.startsWith("-");
  const [whole = "0", fraction = ""] = amount.replace(/^-/, "").split(".");
  const value = BigInt(whole) * 1_000_000n + BigInt(fraction.slice(0, 6).padEnd(6, "0"));
  return negative ? -value : value;
}

function line(scope: BudgetLine["scope"], source: BudgetLine["source"], budget: string, spent: string): BudgetLine {
  const budgetMicro = micro(budget);
  const spentMicro = micro(spent);
  const ratio = budgetMicro === 0n ? 1 : Number(spentMicro) / Number(budgetMicro);
  const level: BudgetLevel =
    spentMicro >= budgetMicro ? "exceeded" : spentMicro * 10n >= budgetMicro * 8n ? "warning" : "ok";
  return { scope, source, budgetUsd: budget, spentUsd: spent, ratio, level };
}

/** The install defaults (admin-set or built in), as 2-decimal strings. */
export async function getBudgetDefaults(db: Database): Promise<{ normalUsd: string; premiumUsd: string }> {
  const rows = await db.installSetting.findMany({
    where: { name: { in: [BUDGET_SETTING.normal, BUDGET_SETTING.premium] } },
    select: { name: true, value: true },
  });
  return budgetDefaultsFrom(rows);
}

/** The defaults from the `install_settings` rows that hold them (missing or malformed: the built-in ones). */
export function budgetDefaultsFrom(rows: readonly { name: string; value: string }[]) {
  const value = (name: string, fallback: number) => {
    const found = rows.find((row) => row.name === name)?.value;
    return found !== undefined && /^\d+(\.\d{1,2})?$/.test(found) ? Number(found).toFixed(2) : fallback.toFixed(2);
  };
  return {
    normalUsd: value(BUDGET_SETTING.normal, BUILT_IN_BUDGET_USD.normal),
    premiumUsd: value(BUDGET_SETTING.premium, BUILT_IN_BUDGET_USD.premium),
  };
}

const WORSE: Record<BudgetLevel, number> = { ok: 0, warning: 1, exceeded: 2 };

function sentence(line: BudgetLine, month: string): string {
  const whose = line.scope === "user" ? "Your AI budget" : "This project's AI budget";
  const budget = formatUsd(line.budgetUsd);
  const spent = formatUsd(line.spentUsd);
  const when = monthLabel(month);
  if (line.level === "exceeded") {
    const who = line.scope === "user" ? "an administrator can raise it" : "the project's owner can raise it";
    return `${whose} of ${budget} for ${when} is used up (${spent} spent). New turns are refused until the month ends; ${who}.`;
  }
  return `${whose} of ${budget} for ${when} is ${Math.floor(line.ratio * 100)} % used (${spent} spent).`;
}

/** The user's own monthly budget (override, else the normal or premium default) against their spend this month. */
export async function getUserBudget(options: { db: Database; userId: string; now?: Date }): Promise<BudgetLine> {
  const { db, userId } = options;
  const { start } = monthOf(options.now ?? new Date());
  const [facts] = await db.$queryRaw<{ budget: string | null; is_premium: boolean | null; spent: string }[]>`
    SELECT u.ai_budget_usd::text AS budget, u.is_premium,
           (SELECT COALESCE(sum(d.cost_usd), 0)::text FROM claude_usage_daily d
             WHERE d.user_id = u.id AND d.day >= ${start}::date) AS spent
      FROM users u WHERE u.id = ${userId}::uuid`;
  if (!facts) throw new AppError("NOT_FOUND", "User not found.");
  if (facts.budget !== null) return line("user", "override", facts.budget, facts.spent);
  const defaults = await getBudgetDefaults(db);
  return facts.is_premium
    ? line("user", "premium-default", defaults.premiumUsd, facts.spent)
    : line("user", "default", defaults.normalUsd, facts.spent);
}

/**
 * The budget check made before every turn's first API call (and shown in the panel): the user's monthly budget and,
 * when the project has one, the project's, against their month-to-date spend in the rollup.
 */
export async function getBudgetStatus(options: {
  db: Database;
  userId: string;
  projectId: string;
  now?: Date;
}): Promise<BudgetStatus> {
  const { db, projectId } = options;
  const now = options.now ?? new Date();
  const { start, month } = monthOf(now);
  const [user, [facts]] = await Promise.all([
    getUserBudget({ db, userId: options.userId, now }),
    db.$queryRaw<{ budget: string | null; spent: string }[]>`
      SELECT p.ai_budget_usd::text AS budget,
             (SELECT COALESCE(sum(d.cost_usd), 0)::text FROM claude_usage_daily d
               WHERE d.project_id = p.id AND d.day >= ${start}::date) AS spent
        FROM projects p WHERE p.id = ${projectId}::uuid`,
  ]);
  const project = !facts || facts.budget === null ? null : line("project", "project", facts.budget, facts.spent);

  // The worse of the two decides; on a tie the project's (the narrower) is named.
  const worst = project && WORSE[project.level] >= WORSE[user.level] ? project : user;
  return {
    level: worst.level,
    message: worst.level === "ok" ? null : sentence(worst, month),
    details: { month, user, project },
  };
}

/** Throws AppError FORBIDDEN (the budget message) when a budget is used up; resolves otherwise. */
export async function assertTurnAllowed(options: { db: Database; userId: string; projectId: string }): Promise<void> {
  const status = await getBudgetStatus(options);
  if (status.level === "exceeded") {
    throw new AppError("FORBIDDEN", status.message ?? "Your AI budget for this month is used up.", {
      budget: status.details ?? null,
    });
  }
}
