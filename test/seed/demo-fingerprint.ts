import type pg from "pg";

/** What a fresh database's demo holds, the same on every date, hour and runtime (test/seed/*.test.ts). */
export const DEMO_INTERACTIONS = 514;
export const DEMO_INTERACTIONS_FINGERPRINT = "e33e46f5d96b4334f91b16016d4097c7";

/** An md5 of every interaction, times as offsets from the oldest: the seed shifts them all to today, nothing else. */
export async function interactionsFingerprint(db: pg.Pool): Promise<string | undefined> {
  const { rows } = await db.query<{ fingerprint: string }>(
    `SELECT md5(string_agg(concat_ws('|', id, project_id, user_id, model, interaction_type, success, input_tokens,
                                     output_tokens, cache_read_tokens, cache_write_tokens, user_message,
                                     extract(epoch FROM created_at - oldest)), ',' ORDER BY id)) AS fingerprint
       FROM (SELECT *, min(created_at) OVER () AS oldest FROM claude_interactions) i`,
  );
  return rows[0]?.fingerprint;
}
