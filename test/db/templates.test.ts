import { describe, expect, it } from "vitest";
import { pool } from "../db";
import { createProject, createTemplate, createUser, db, one } from "./helpers";

async function aggregates(templateId: string) {
  return one<{ rating_sum: number; rating_count: number; rating_average: string; expected_average: string }>(
    db,
    `SELECT t.rating_sum, t.rating_count, t.rating_average::text,
            COALESCE((SELECT round(avg(r.rating), 2) FROM template_ratings r WHERE r.template_id = t.id), 0)::numeric(3,2)::text
              AS expected_average
       FROM project_templates t WHERE t.id = $1`,
    [templateId],
  );
}

async function rate(templateId: string, userId: string, rating: number) {
  await pool.query(
    `INSERT INTO template_ratings (template_id, user_id, rating) VALUES ($1, $2, $3)
     ON CONFLICT (template_id, user_id) DO UPDATE SET rating = EXCLUDED.rating`,
    [templateId, userId, rating],
  );
}

describe("template rating aggregates", () => {
  it("keeps sum, count and average exact on insert, update and delete", async () => {
    const templateId = await createTemplate();
    const [a, b, c] = [await createUser(), await createUser(), await createUser()];

    await rate(templateId, a.id, 5);
    await rate(templateId, b.id, 4);
    await rate(templateId, c.id, 4);
    expect(await aggregates(templateId)).toEqual({
      rating_sum: 13,
      rating_count: 3,
      rating_average: "4.33",
      expected_average: "4.33",
    });

    await rate(templateId, a.id, 1);
    expect(await aggregates(templateId)).toMatchObject({ rating_sum: 9, rating_count: 3, rating_average: "3.00" });

    await db.query(`DELETE FROM template_ratings WHERE template_id = $1 AND user_id = $2`, [templateId, b.id]);
    expect(await aggregates(templateId)).toMatchObject({ rating_sum: 5, rating_count: 2, rating_average: "2.50" });

    await db.query(`DELETE FROM template_ratings WHERE template_id = $1`, [templateId]);
    expect(await aggregates(templateId)).toMatchObject({ rating_sum: 0, rating_count: 0, rating_average: "0.00" });
  });

  it("moves a rating from one template to another", async () => {
    const from = await createTemplate();
    const to = await createTemplate();
    const user = await createUser();
    await rate(from, user.id, 3);
    await db.query(`UPDATE template_ratings SET template_id = $1, rating = 5 WHERE template_id = $2`, [to, from]);
    expect(await aggregates(from)).toMatchObject({ rating_sum: 0, rating_count: 0, rating_average: "0.00" });
    expect(await aggregates(to)).toMatchObject({ rating_sum: 5, rating_count: 1, rating_average: "5.00" });
  });

  it("stays exact under concurrent raters", async () => {
    const templateId = await createTemplate();
    const users = await Promise.all(Array.from({ length: 16 }, () => createUser()));
    await Promise.all(users.map((user, i) => rate(templateId, user.id, (i % 5) + 1)));
    await Promise.all(users.slice(0, 8).map((user, i) => rate(templateId, user.id, ((i + 2) % 5) + 1)));
    await Promise.all(
      users
        .slice(12)
        .map((user) =>
          pool.query(`DELETE FROM template_ratings WHERE template_id = $1 AND user_id = $2`, [templateId, user.id]),
        ),
    );
    const result = await aggregates(templateId);
    const real = await one<{ sum: number; count: number }>(
      db,
      `SELECT sum(rating)::int AS sum, count(*)::int AS count FROM template_ratings WHERE template_id = $1`,
      [templateId],
    );
    expect(result.rating_count).toBe(12);
    expect({ sum: result.rating_sum, count: result.rating_count }).toEqual(real);
    expect(result.rating_average).toBe(result.expected_average);
  });

  it("refuses a rating outside 1..5", async () => {
    const templateId = await createTemplate();
    const user = await createUser();
    await expect(rate(templateId, user.id, 6)).rejects.toMatchObject({ code: "23514" });
    await expect(rate(templateId, user.id, 0)).rejects.toMatchObject({ code: "23514" });
  });
});

describe("template usage count", () => {
  it("increments usage_count when a project is created from the template", async () => {
    const templateId = await createTemplate();
    const user = await createUser();
    await createProject(db, user.id, { templateId });
    await createProject(db, user.id, { templateId });
    await createProject(db, user.id);
    const row = await one<{ usage_count: number }>(db, `SELECT usage_count FROM project_templates WHERE id = $1`, [
      templateId,
    ]);
    expect(row.usage_count).toBe(2);
  });
});

describe("template rating histogram and helpful votes", () => {
  async function histogram(templateId: string): Promise<number[]> {
    const row = await one<{ rating_histogram: number[] }>(
      db,
      `SELECT rating_histogram FROM project_templates WHERE id = $1`,
      [templateId],
    );
    return row.rating_histogram;
  }

  it("keeps the histogram exact on insert, change and delete, equal to a recount", async () => {
    const templateId = await createTemplate();
    const users = await Promise.all(Array.from({ length: 6 }, () => createUser()));
    await Promise.all(users.map((user, i) => rate(templateId, user.id, [5, 5, 4, 1, 3, 5][i]!)));
    expect(await histogram(templateId)).toEqual([1, 0, 1, 1, 3]);
    await rate(templateId, users[0]!.id, 2);
    await db.query(`DELETE FROM template_ratings WHERE template_id = $1 AND user_id = $2`, [templateId, users[3]!.id]);
    expect(await histogram(templateId)).toEqual([0, 1, 1, 1, 2]);
    const recount = await one<{ h: number[] }>(
      db,
      `SELECT ARRAY(SELECT count(r.id)::int FROM generate_series(1, 5) s
                      LEFT JOIN template_ratings r ON r.template_id = $1 AND r.rating = s GROUP BY s ORDER BY s) AS h`,
      [templateId],
    );
    expect(await histogram(templateId)).toEqual(recount.h);
  });

  it("counts one helpful vote per user on the review, and a vote is not an edit", async () => {
    const templateId = await createTemplate();
    const [writer, a, b] = [await createUser(), await createUser(), await createUser()];
    const rating = await one<{ id: string; updated_at: Date }>(
      db,
      `INSERT INTO template_ratings (template_id, user_id, rating, review, created_at, updated_at)
       VALUES ($1, $2, 4, 'Good', now() - interval '1 day', now() - interval '1 day') RETURNING id, updated_at`,
      [templateId, writer.id],
    );
    await db.query(`INSERT INTO template_review_votes (rating_id, user_id) VALUES ($1, $2), ($1, $3)`, [
      rating.id,
      a.id,
      b.id,
    ]);
    await expect(
      db.query(`INSERT INTO template_review_votes (rating_id, user_id) VALUES ($1, $2)`, [rating.id, a.id]),
    ).rejects.toMatchObject({ code: "23505" });
    await db.query(`DELETE FROM template_review_votes WHERE rating_id = $1 AND user_id = $2`, [rating.id, b.id]);
    const after = await one<{ helpful_count: number; updated_at: Date }>(
      db,
      `SELECT helpful_count, updated_at FROM template_ratings WHERE id = $1`,
      [rating.id],
    );
    expect(after.helpful_count).toBe(1);
    expect(after.updated_at.getTime()).toBe(rating.updated_at.getTime());
  });

  it("does not move a template's updated_at when it is used or rated", async () => {
    const templateId = await createTemplate();
    await db.query(`UPDATE project_templates SET updated_at = now() - interval '3 days' WHERE id = $1`, [templateId]);
    const before = await one<{ updated_at: Date }>(db, `SELECT updated_at FROM project_templates WHERE id = $1`, [
      templateId,
    ]);
    const user = await createUser();
    await createProject(db, user.id, { templateId });
    await rate(templateId, user.id, 5);
    const after = await one<{ updated_at: Date; usage_count: number }>(
      db,
      `SELECT updated_at, usage_count FROM project_templates WHERE id = $1`,
      [templateId],
    );
    expect(after.usage_count).toBe(1);
    expect(after.updated_at.getTime()).toBe(before.updated_at.getTime());
    await db.query(`UPDATE project_templates SET description = 'Changed' WHERE id = $1`, [templateId]);
    const edited = await one<{ updated_at: Date }>(db, `SELECT updated_at FROM project_templates WHERE id = $1`, [
      templateId,
    ]);
    expect(edited.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
  });

  it("indexes name, tags and description for ranked search, the name weighing most", async () => {
    const byName = await createTemplate();
    const byDescription = await createTemplate();
    await db.query(`UPDATE project_templates SET name = 'Quokka starter', tags = '{demo}' WHERE id = $1`, [byName]);
    await db.query(
      `UPDATE project_templates SET name = 'Other', tags = '{quokkas}', description = 'A quokka app' WHERE id = $1`,
      [byDescription],
    );
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM project_templates WHERE search_vector @@ to_tsquery('english', 'quokka:*')
        ORDER BY ts_rank_cd(search_vector, to_tsquery('english', 'quokka:*')) DESC`,
    );
    expect(rows.map((row) => row.id)).toEqual([byName, byDescription]);
  });

  it("refuses a template version that is not MAJOR.MINOR.PATCH and orders versions numerically", async () => {
    const templateId = await createTemplate();
    const insert = (version: string) =>
      db.query(
        `INSERT INTO project_template_versions (template_id, version, changelog, file_structure, file_count, total_size_bytes)
         VALUES ($1, $2, 'x', '{"files": []}', 0, 0)`,
        [templateId, version],
      );
    await expect(insert("1.0")).rejects.toMatchObject({ code: "23514" });
    await expect(insert("01.0.0")).rejects.toMatchObject({ code: "23514" });
    await insert("1.9.0");
    await insert("1.10.0");
    await expect(insert("1.10.0")).rejects.toMatchObject({ code: "23505" });
    const { rows } = await db.query<{ version: string }>(
      `SELECT version FROM project_template_versions WHERE template_id = $1 ORDER BY version_key DESC`,
      [templateId],
    );
    expect(rows.map((row) => row.version)).toEqual(["1.10.0", "1.9.0"]);
  });
});
