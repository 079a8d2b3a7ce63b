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
