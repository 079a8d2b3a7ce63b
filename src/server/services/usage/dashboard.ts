import { LATENCY_BUCKETS, percentileFromBuckets } from "~/lib/latency-buckets";
import type { TUsageDashboardInput } from "~/lib/schemas/usage";
import { Prisma } from "~/generated/prisma/client";
import type { Database } from "~/server/db/client";
import { getUserBudget, monthOf } from "./budget";

/**
 * The usage dashboards. Every figure is read from the daily rollups, never from the raw `claude_interactions`: the
 * admin dashboard from the coarse ones kept exact from `claude_usage_daily` by its trigger (migration
 * `20261203150000_usage_rollups`): `claude_usage_daily_models` (day, model, interaction type) for totals, latency,
 * series and the by-model and by-type figures, `claude_usage_daily_users` and `claude_usage_daily_projects` for the
 * top lists and the active counts; "My usage" from `claude_usage_daily` (it needs user and project together).
 * Latency percentiles come from the summed per-day histograms. Cost is the stored cost of priced turns; turns
 * without a price are counted apart as "unpriced", never as $0.
 */

/** Token sums of a set of rollup rows. */
export interface TokenSums {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  total: number;
}

export interface UsageFigures {
  turns: number;
  failures: number;
  tokens: TokenSums;
  /** Sum of the priced turns' cost, USD, 6 decimals. */
  costUsd: string;
  unpricedTurns: number;
  unpricedTokens: number;
}

/** The sums every grouping selects (bigint/text casts: exact, and no Decimal objects). */
const SUMS = Prisma.sql`
  COALESCE(sum(interactions), 0)::bigint AS turns, COALESCE(sum(failures), 0)::bigint AS failures,
  COALESCE(sum(input_tokens), 0)::bigint AS input, COALESCE(sum(output_tokens), 0)::bigint AS output,
  COALESCE(sum(cache_read_tokens), 0)::bigint AS cache_read, COALESCE(sum(cache_write_tokens), 0)::bigint AS cache_write,
  COALESCE(sum(cache_write_1h_tokens), 0)::bigint AS cache_write_1h, COALESCE(sum(cost_usd), 0)::numeric(18,6)::text AS cost,
  COALESCE(sum(unpriced_interactions), 0)::bigint AS unpriced_turns, COALESCE(sum(unpriced_tokens), 0)::bigint AS unpriced_tokens`;

/** Sum of each of the 48 latency buckets in one pass (no unnest): ARRAY[sum(latency_buckets[1]), ...]. */
const BUCKET_SUMS = Prisma.raw(
  `ARRAY[${Array.from({ length: LATENCY_BUCKETS }, (_, i) => `COALESCE(sum(latency_buckets[${i + 1}]), 0)::bigint`).join(", ")}]`,
);

interface SumsRow {
  turns: bigint;
  failures: bigint;
  input: bigint;
  output: bigint;
  cache_read: bigint;
  cache_write: bigint;
  cache_write_1h: bigint;
  cost: string;
  unpriced_turns: bigint;
  unpriced_tokens: bigint;
}

export function figuresOf(row: SumsRow): UsageFigures {
  const tokens = {
    input: Number(row.input),
    output: Number(row.output),
    cacheRead: Number(row.cache_read),
    cacheWrite5m: Number(row.cache_write),
    cacheWrite1h: Number(row.cache_write_1h),
    total: 0,
  };
  tokens.total = tokens.input + tokens.output + tokens.cacheRead + tokens.cacheWrite5m + tokens.cacheWrite1h;
  return {
    turns: Number(row.turns),
    failures: Number(row.failures),
    tokens,
    costUsd: row.cost,
    unpricedTurns: Number(row.unpriced_turns),
    unpricedTokens: Number(row.unpriced_tokens),
  };
}

/** cache_read / (input + cache_read + cache writes): the share of prompt tokens served from the cache. */
export function cacheHitRate(tokens: TokenSums): number | null {
  const prompt = tokens.input + tokens.cacheRead + tokens.cacheWrite5m + tokens.cacheWrite1h;
  return prompt === 0 ? null : tokens.cacheRead / prompt;
}

/** The dashboard's SQL, one function per figure, so the bench times each (and compares it to the raw table). */
export function dashboardQueries(db: Database, input: TUsageDashboardInput) {
  const range = Prisma.sql`day >= ${input.from}::date AND day <= ${input.to}::date`;
  const period = input.granularity === "week" ? Prisma.sql`date_trunc('week', day)::date` : Prisma.sql`day`;
  return {
    totals: () =>
      db.$queryRaw<(SumsRow & { buckets: bigint[]; execution_ms: bigint; users: bigint; projects: bigint })[]>`
        SELECT m.*, u.users, p.projects
          FROM (SELECT ${SUMS}, ${BUCKET_SUMS} AS buckets, COALESCE(sum(execution_time_ms), 0)::bigint AS execution_ms
                  FROM claude_usage_daily_models WHERE ${range}) m,
               (SELECT count(DISTINCT user_id)::bigint AS users FROM claude_usage_daily_users WHERE ${range}) u,
               (SELECT count(DISTINCT project_id)::bigint AS projects FROM claude_usage_daily_projects WHERE ${range}) p`,
    series: () =>
      db.$queryRaw<(SumsRow & { period: Date; model: string })[]>`
        SELECT ${period} AS period, model, ${SUMS}
          FROM claude_usage_daily_models WHERE ${range}
         GROUP BY 1, 2 ORDER BY 1, 2`,
    byType: () =>
      db.$queryRaw<(SumsRow & { interaction_type: string })[]>`
        SELECT interaction_type, ${SUMS}
          FROM claude_usage_daily_models WHERE ${range}
         GROUP BY 1 ORDER BY sum(interactions) DESC, 1`,
    topUsers: () =>
      db.$queryRaw<(SumsRow & { user_id: string; username: string | null; full_name: string | null })[]>`
        WITH top AS (
          SELECT user_id, ${SUMS},
                 sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens + cache_write_1h_tokens) AS all_tokens
            FROM claude_usage_daily_users WHERE ${range}
           GROUP BY user_id
           ORDER BY sum(cost_usd) DESC, all_tokens DESC, user_id
           LIMIT ${input.top})
        SELECT top.*, u.username::text AS username, u.full_name
          FROM top LEFT JOIN users u ON u.id = top.user_id
         ORDER BY top.cost::numeric DESC, top.all_tokens DESC, top.user_id`,
    topProjects: () =>
      db.$queryRaw<(SumsRow & { project_id: string; name: string | null; owner: string | null })[]>`
        WITH top AS (
          SELECT project_id, ${SUMS},
                 sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens + cache_write_1h_tokens) AS all_tokens
            FROM claude_usage_daily_projects WHERE ${range}
           GROUP BY project_id
           ORDER BY sum(cost_usd) DESC, all_tokens DESC, project_id
           LIMIT ${input.top})
        SELECT top.*, p.name, u.username::text AS owner
          FROM top LEFT JOIN projects p ON p.id = top.project_id LEFT JOIN users u ON u.id = p.user_id
         ORDER BY top.cost::numeric DESC, top.all_tokens DESC, top.project_id`,
    install: () =>
      db.$queryRaw<{ users: bigint; active_users: bigint; projects: bigint; files: bigint; storage: bigint }[]>`
        SELECT (SELECT count(*) FROM users)::bigint AS users,
               (SELECT count(*) FROM users WHERE is_active)::bigint AS active_users,
               p.projects, p.files, p.storage
          FROM (SELECT count(*)::bigint AS projects, COALESCE(sum(total_files), 0)::bigint AS files,
                       COALESCE(sum(total_size_bytes), 0)::bigint AS storage FROM projects) p`,
  };
}

function addUsd(a: string, b: string): string {
  const toMicro = (amount: string) => {
    const [whole = "0", fraction = ""] = amount.split(".");
    return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, "0").slice(0, 6));
  };
  const sum = toMicro(a) + toMicro(b);
  return `${sum / 1_000_000n}.${(sum % 1_000_000n).toString().padStart(6, "0")}`;
}

function addFigures(into: UsageFigures, more: UsageFigures): UsageFigures {
  return {
    turns: into.turns + more.turns,
    failures: into.failures + more.failures,
    tokens: {
      input: into.tokens.input + more.tokens.input,
      output: into.tokens.output + more.tokens.output,
      cacheRead: into.tokens.cacheRead + more.tokens.cacheRead,
      cacheWrite5m: into.tokens.cacheWrite5m + more.tokens.cacheWrite5m,
      cacheWrite1h: into.tokens.cacheWrite1h + more.tokens.cacheWrite1h,
      total: into.tokens.total + more.tokens.total,
    },
    costUsd: addUsd(into.costUsd, more.costUsd),
    unpricedTurns: into.unpricedTurns + more.unpricedTurns,
    unpricedTokens: into.unpricedTokens + more.unpricedTokens,
  };
}

export const EMPTY_FIGURES: UsageFigures = {
  turns: 0,
  failures: 0,
  tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, total: 0 },
  costUsd: "0.000000",
  unpricedTurns: 0,
  unpricedTokens: 0,
};

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The admin dashboard of a range of days (`usage.dashboard`). */
export async function usageDashboard(options: { db: Database } & TUsageDashboardInput) {
  const { db, ...input } = options;
  const queries = dashboardQueries(db, input);
  const [[totalsRow], series, byType, topUsers, topProjects, [install]] = await Promise.all([
    queries.totals(),
    queries.series(),
    queries.byType(),
    queries.topUsers(),
    queries.topProjects(),
    queries.install(),
  ]);
  const totals = figuresOf(totalsRow!);
  const buckets = totalsRow!.buckets.map(Number);

  const byModel = new Map<string, UsageFigures>();
  for (const row of series) byModel.set(row.model, addFigures(byModel.get(row.model) ?? EMPTY_FIGURES, figuresOf(row)));

  return {
    range: { from: input.from, to: input.to, granularity: input.granularity },
    totals: {
      ...totals,
      errorRate: totals.turns === 0 ? null : totals.failures / totals.turns,
      cacheHitRate: cacheHitRate(totals.tokens),
      latency: {
        p50Ms: percentileFromBuckets(buckets, 0.5),
        p95Ms: percentileFromBuckets(buckets, 0.95),
        meanMs: totals.turns === 0 ? null : Number(totalsRow!.execution_ms) / totals.turns,
      },
      activeUsers: Number(totalsRow!.users),
      activeProjects: Number(totalsRow!.projects),
    },
    series: series.map((row) => ({ period: isoDay(row.period), model: row.model, ...figuresOf(row) })),
    byModel: [...byModel.entries()]
      .map(([model, figures]) => ({ model, ...figures }))
      .sort((a, b) => Number(b.costUsd) - Number(a.costUsd) || b.tokens.total - a.tokens.total),
    byType: byType.map((row) => ({ interactionType: row.interaction_type, ...figuresOf(row) })),
    topUsers: topUsers.map((row) => ({
      userId: row.user_id,
      username: row.username,
      fullName: row.full_name,
      ...figuresOf(row),
    })),
    topProjects: topProjects.map((row) => ({
      projectId: row.project_id,
      name: row.name,
      owner: row.owner,
      ...figuresOf(row),
    })),
    install: {
      users: Number(install!.users),
      activeUsers: Number(install!.active_users),
      projects: Number(install!.projects),
      files: Number(install!.files),
      storageBytes: Number(install!.storage),
    },
  };
}

/** The months `YYYY-MM` from `months - 1` months before `now`'s to `now`'s, oldest first. */
export function lastMonths(now: Date, months: number): string[] {
  const list: string[] = [];
  for (let back = months - 1; back >= 0; back--) {
    list.push(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7));
  }
  return list;
}

/**
 * "My usage" (`usage.mine`): the caller's own tokens and cost by project and month (UTC) over the last months, with
 * their budget this month and each project's budget. Read from the rollup, as the admin dashboard.
 */
export async function myUsage(options: {
  db: Database;
  userId: string;
  projectId?: string;
  months?: number;
  now?: Date;
}) {
  const { db, userId, projectId } = options;
  const now = options.now ?? new Date();
  const months = lastMonths(now, options.months ?? 12);
  const start = `${months[0]}-01`;
  const { start: monthStart, month } = monthOf(now);
  const projectFilter = projectId === undefined ? Prisma.empty : Prisma.sql`AND d.project_id = ${projectId}::uuid`;
  const [rows, projects, budget] = await Promise.all([
    db.$queryRaw<(SumsRow & { month: string; project_id: string })[]>`
      SELECT to_char(date_trunc('month', d.day), 'YYYY-MM') AS month, d.project_id, ${SUMS}
        FROM claude_usage_daily d
       WHERE d.user_id = ${userId}::uuid AND d.day >= ${start}::date ${projectFilter}
       GROUP BY 1, 2 ORDER BY 1 DESC, 2`,
    db.$queryRaw<{ id: string; name: string; budget: string | null; spent: string }[]>`
      SELECT p.id, p.name, p.ai_budget_usd::text AS budget,
             (SELECT COALESCE(sum(d.cost_usd), 0)::text FROM claude_usage_daily d
               WHERE d.project_id = p.id AND d.day >= ${monthStart}::date) AS spent
        FROM projects p
       WHERE p.user_id = ${userId}::uuid ${projectId === undefined ? Prisma.empty : Prisma.sql`AND p.id = ${projectId}::uuid`}`,
    getUserBudget({ db, userId, now }),
  ]);
  const projectById = new Map(projects.map((project) => [project.id, project]));

  const byMonth = new Map<string, UsageFigures>(months.map((m) => [m, EMPTY_FIGURES]));
  const byProject = new Map<string, UsageFigures>();
  const cells = rows.map((row) => {
    const figures = figuresOf(row);
    byMonth.set(row.month, addFigures(byMonth.get(row.month) ?? EMPTY_FIGURES, figures));
    byProject.set(row.project_id, addFigures(byProject.get(row.project_id) ?? EMPTY_FIGURES, figures));
    return {
      month: row.month,
      projectId: row.project_id,
      projectName: projectById.get(row.project_id)?.name ?? null,
      ...figures,
    };
  });
  return {
    months,
    month,
    budget,
    byMonth: months.map((m) => ({ month: m, ...(byMonth.get(m) ?? EMPTY_FIGURES) })).reverse(),
    byProject: [...byProject.entries()]
      .map(([id, figures]) => {
        const project = projectById.get(id);
        return {
          projectId: id,
          projectName: project?.name ?? null,
          budgetUsd: project?.budget ?? null,
          spentThisMonthUsd: project?.spent ?? null,
          ...figures,
        };
      })
      .sort((a, b) => Number(b.costUsd) - Number(a.costUsd) || b.tokens.total - a.tokens.total),
    /** Projects with a budget but no usage in the window still show their budget. */
    budgets: projects
      .filter((project) => project.budget !== null)
      .map((project) => ({
        projectId: project.id,
        projectName: project.name,
        budgetUsd: project.budget!,
        spentUsd: project.spent,
      })),
    cells,
  };
}

/**
 * A project's usage per UTC day and model over the last `days` days (today included), from `claude_usage_daily`,
 * as the rows the usage charts stack (`stackByModel`): a project's dashboard draws it like the admin series.
 */
export async function projectUsageByDay(options: { db: Database; projectId: string; days: number; now?: Date }) {
  const to = (options.now ?? new Date()).toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (options.days - 1) * 86_400_000).toISOString().slice(0, 10);
  const rows = await options.db.$queryRaw<(SumsRow & { day: string; model: string })[]>`
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day, d.model, ${SUMS}
      FROM claude_usage_daily d
     WHERE d.project_id = ${options.projectId}::uuid AND d.day >= ${from}::date AND d.day <= ${to}::date
     GROUP BY 1, 2 ORDER BY 1, 2`;
  return {
    from,
    to,
    rows: rows.map((row) => ({ period: row.day, model: row.model, ...figuresOf(row) })),
  };
}
