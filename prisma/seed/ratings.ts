/** 6. Template ratings. */
import type pg from "pg";
import { withTransaction } from "~/server/db/pool";
import type { DemoOwner } from "./demo-content";
import { seedUuid, at } from "./helpers";

const RATINGS: { user: DemoOwner; template: string; rating: number; review: string | null; daysAgo: number }[] = [
  {
    user: "demo",
    template: "react-vite",
    rating: 5,
    review: "Started my task board from this. Clean, tiny, and the reducer test is a nice touch.",
    daysAgo: 50,
  },
  {
    user: "demo",
    template: "express-api",
    rating: 4,
    review: "Does what it says. I'd like a database variant next.",
    daysAgo: 30,
  },
  { user: "admin", template: "nextjs-app", rating: 5, review: null, daysAgo: 40 },
  {
    user: "admin",
    template: "pwa",
    rating: 4,
    review: "Works offline out of the box; remember to bump the cache name.",
    daysAgo: 20,
  },
];

export async function insertRatings(db: pg.Pool, users: Record<DemoOwner, string>, now: Date): Promise<number> {
  return withTransaction(db, async (client) => {
    let inserted = 0;
    for (const r of RATINGS) {
      const createdAt = at(now, r.daysAgo, "12:00");
      const result = await client.query(
        `INSERT INTO template_ratings (id, template_id, user_id, rating, review, created_at, updated_at)
         SELECT $1::uuid, t.id, $3::uuid, $4::smallint, $5::text, $6::timestamptz, $6::timestamptz
           FROM project_templates t WHERE t.id = $2
         ON CONFLICT DO NOTHING`,
        [
          seedUuid(`rating:${r.user}:${r.template}`),
          seedUuid(`template:${r.template}`),
          users[r.user],
          r.rating,
          r.review,
          createdAt,
        ],
      );
      inserted += result.rowCount ?? 0;
    }
    return inserted;
  });
}
