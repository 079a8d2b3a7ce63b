import type { Database } from "~/server/db/client";

/** Where a user stands against the AI budgets that apply to a turn in one project (monthly, UTC). */
export interface BudgetStatus {
  /** "ok", "warning" (at or above 80 % of a budget), or "exceeded" (at or above 100 %: turns are refused). */
  level: "ok" | "warning" | "exceeded";
  /** A sentence for the assistant panel when level is not "ok". */
  message: string | null;
}

/**
 * The budget check made before every turn's first API call. Budgets are not configured yet (issue 9, item 10):
 * every turn is allowed. The assistant calls this and `assertTurnAllowed`, so enforcing budgets changes only here.
 */
export async function getBudgetStatus(_options: {
  db: Database;
  userId: string;
  projectId: string;
}): Promise<BudgetStatus> {
  return { level: "ok", message: null };
}

/** Throws AppError("FORBIDDEN"-like refusal) when a budget is used up; resolves otherwise. */
export async function assertTurnAllowed(options: { db: Database; userId: string; projectId: string }): Promise<void> {
  await getBudgetStatus(options);
}
