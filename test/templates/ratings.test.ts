import { describe, expect, it } from "vitest";
import { pool } from "../db";
import { adminCaller, anonymousCaller, expectFailure, publishedTemplate, signedInUser } from "./support";

async function ratingRows(templateId: string) {
  const { rows } = await pool.query(
    `SELECT id, user_id, rating, review, hidden_at, helpful_count FROM template_ratings WHERE template_id = $1 ORDER BY user_id`,
    [templateId],
  );
  return rows;
}

describe("template.rate and template.unrate", () => {
  it("keeps one rating per user: rating again changes it, unrate removes it, aggregates follow", async () => {
    const { api: author } = await signedInUser();
    const { api: rater } = await signedInUser();
    const { templateId } = await publishedTemplate(author);

    expect(await rater.template.rate({ templateId, rating: 4, review: "Solid start." })).toMatchObject({
      ratingAverage: 4,
      ratingCount: 1,
      ratingHistogram: [0, 0, 0, 1, 0],
    });
    expect(await rater.template.rate({ templateId, rating: 2 })).toMatchObject({
      ratingCount: 1,
      ratingHistogram: [0, 1, 0, 0, 0],
    });
    // Changing the stars only keeps the review written before.
    expect((await ratingRows(templateId))[0]).toMatchObject({ rating: 2, review: "Solid start." });
    const page = await rater.template.byId({ templateId });
    expect(page.viewer.myRating).toMatchObject({ rating: 2, review: "Solid start." });

    expect(await rater.template.unrate({ templateId })).toMatchObject({ deleted: true, ratingCount: 0 });
    expect(await ratingRows(templateId)).toEqual([]);
  });

  it("refuses a rating outside 1 to 5, a review over 2,000 characters and an author rating their own template", async () => {
    const { api: author } = await signedInUser();
    const { api: rater } = await signedInUser();
    const { templateId } = await publishedTemplate(author);

    await expectFailure(rater.template.rate({ templateId, rating: 0 }), "BAD_REQUEST", /1 to 5 stars/);
    await expectFailure(rater.template.rate({ templateId, rating: 6 }), "BAD_REQUEST", /1 to 5 stars/);
    await expectFailure(rater.template.rate({ templateId, rating: 4.5 }), "BAD_REQUEST", /1 to 5 stars/);
    await expectFailure(
      rater.template.rate({ templateId, rating: 5, review: "x".repeat(2001) }),
      "BAD_REQUEST",
      /at most 2,000 characters/,
    );
    await expectFailure(
      rater.template.rate({ templateId, rating: 5, review: "bell\u0007" }),
      "BAD_REQUEST",
      /control characters/,
    );
    await expectFailure(author.template.rate({ templateId, rating: 5 }), "FORBIDDEN", /your own template/);
    expect(await ratingRows(templateId)).toEqual([]);
  });

  it("stores HTML in a review as the text it is", async () => {
    const { api: author } = await signedInUser();
    const { api: rater } = await signedInUser();
    const { templateId } = await publishedTemplate(author);
    const review = `<script>alert("x")</script> & <b>bold</b>`;
    await rater.template.rate({ templateId, rating: 5, review });
    const page = await rater.template.reviews({ templateId });
    expect(page.reviews[0]!.review).toBe(review);
  });

  it("does not let anyone rate a private template", async () => {
    const { api: author } = await signedInUser();
    const { api: rater } = await signedInUser();
    const { templateId } = await publishedTemplate(author);
    await author.template.update({ templateId, isPublic: false });
    await expectFailure(rater.template.rate({ templateId, rating: 5 }), "NOT_FOUND");
  });
});

describe("template.reviews, template.voteHelpful and hiding", () => {
  it("pages reviews newest or most helpful first, one helpful vote per user, never on one's own review", async () => {
    const { api: author } = await signedInUser();
    const { templateId } = await publishedTemplate(author);
    const raters = await Promise.all(Array.from({ length: 12 }, () => signedInUser()));
    for (const [i, { api }] of raters.entries()) {
      await api.template.rate({ templateId, rating: (i % 5) + 1, review: `Review ${i}` });
    }
    await raters[11]!.api.template.rate({ templateId, rating: 3 }); // stars only: keeps its review
    await pool.query(
      `UPDATE template_ratings SET created_at = now() - make_interval(mins => 100 - substring(review from 8)::int)
        WHERE template_id = $1`,
      [templateId],
    );

    const newest = await author.template.reviews({ templateId });
    expect(newest).toMatchObject({ total: 12, pages: 2 });
    expect(newest.reviews.map((r) => r.review)).toEqual(Array.from({ length: 10 }, (_, i) => `Review ${11 - i}`));
    expect((await author.template.reviews({ templateId, page: 2 })).reviews.map((r) => r.review)).toEqual([
      "Review 1",
      "Review 0",
    ]);

    const target = newest.reviews.find((r) => r.review === "Review 2")!;
    const voters = [author, raters[0]!.api, raters[1]!.api];
    for (const voter of voters) await voter.template.voteHelpful({ ratingId: target.id, helpful: true });
    expect(await raters[0]!.api.template.voteHelpful({ ratingId: target.id, helpful: true })).toMatchObject({
      helpfulCount: 3,
    });
    expect(await raters[1]!.api.template.voteHelpful({ ratingId: target.id, helpful: false })).toMatchObject({
      helpfulCount: 2,
    });
    await expectFailure(
      raters[2]!.api.template.voteHelpful({ ratingId: target.id, helpful: true }),
      "BAD_REQUEST",
      /your own review/,
    );
    const helpful = await raters[0]!.api.template.reviews({ templateId, order: "helpful" });
    expect(helpful.reviews[0]).toMatchObject({ id: target.id, helpfulCount: 2, votedHelpful: true });
  });

  it("lets an admin hide a review: others no longer see it, its stars still count, its writer sees it marked", async () => {
    const { api: author } = await signedInUser();
    const { api: writer } = await signedInUser();
    const { templateId } = await publishedTemplate(author);
    await writer.template.rate({ templateId, rating: 1, review: "Spam spam spam" });
    const [review] = (await writer.template.reviews({ templateId })).reviews;
    const admin = await adminCaller();

    await expectFailure(author.template.hideReview({ ratingId: review!.id, hidden: true }), "FORBIDDEN");
    await admin.template.hideReview({ ratingId: review!.id, hidden: true });
    expect((await author.template.reviews({ templateId })).total).toBe(0);
    expect((await writer.template.reviews({ templateId })).reviews[0]).toMatchObject({ hidden: true, isMine: true });
    expect((await admin.template.reviews({ templateId })).reviews[0]).toMatchObject({ hidden: true });
    expect(await author.template.byId({ templateId })).toMatchObject({ ratingCount: 1, ratingAverage: 1 });
    await expectFailure(author.template.voteHelpful({ ratingId: review!.id, helpful: true }), "NOT_FOUND");
    const { rows } = await pool.query(`SELECT action FROM admin_audit_log WHERE target->>'ratingId' = $1`, [
      review!.id,
    ]);
    expect(rows).toEqual([{ action: "review.hide" }]);

    // Deleting it and writing it again does not get round the admin.
    await writer.template.unrate({ templateId });
    await writer.template.rate({ templateId, rating: 1, review: "Spam spam spam" });
    expect((await author.template.reviews({ templateId })).total).toBe(0);
    const [again] = (await writer.template.reviews({ templateId })).reviews;
    expect(again).toMatchObject({ hidden: true });

    await admin.template.hideReview({ ratingId: again!.id, hidden: false });
    expect((await author.template.reviews({ templateId })).total).toBe(1);
  });
});

describe("a template gone private", () => {
  it("lets a rater still delete their own rating and review, which its author could otherwise read for good", async () => {
    const { api: author } = await signedInUser();
    const { api: rater } = await signedInUser();
    const { api: stranger } = await signedInUser();
    const { templateId } = await publishedTemplate(author);
    await rater.template.rate({ templateId, rating: 1, review: "My own words." });
    await author.template.update({ templateId, isPublic: false });

    await expectFailure(stranger.template.unrate({ templateId }), "NOT_FOUND");
    expect(await rater.template.unrate({ templateId })).toEqual({ deleted: true });
    expect(await ratingRows(templateId)).toEqual([]);
    expect((await author.template.reviews({ templateId })).reviews).toEqual([]);
    expect(await author.template.byId({ templateId })).toMatchObject({ ratingCount: 0 });
    // Nothing left to delete: the private template is not found, as it is for anyone.
    await expectFailure(rater.template.unrate({ templateId }), "NOT_FOUND");
  });

  it("is not found by anyone but its author on every procedure that reads or acts on it", async () => {
    const { api: author } = await signedInUser();
    const { api: rater } = await signedInUser();
    const { api: stranger } = await signedInUser();
    const anonymous = await anonymousCaller();
    const { templateId } = await publishedTemplate(author, { files: { "src/secret.ts": "export const s = 1;\n" } });
    await rater.template.rate({ templateId, rating: 5, review: "Great." });
    const ratingId = (await ratingRows(templateId))[0]!.id as string;
    await author.template.update({ templateId, isPublic: false });

    for (const api of [stranger, anonymous]) {
      await expectFailure(api.template.byId({ templateId }), "NOT_FOUND");
      await expectFailure(api.template.files({ templateId }), "NOT_FOUND");
      await expectFailure(api.template.files({ templateId, path: "src/secret.ts" }), "NOT_FOUND");
      await expectFailure(api.template.files({ templateId, version: "1.0.0", path: "src/secret.ts" }), "NOT_FOUND");
      await expectFailure(api.template.reviews({ templateId }), "NOT_FOUND");
    }
    await expectFailure(stranger.template.rate({ templateId, rating: 5 }), "NOT_FOUND");
    await expectFailure(stranger.template.voteHelpful({ ratingId, helpful: true }), "NOT_FOUND");
    await expectFailure(stranger.template.use({ templateId, name: "Stolen", description: "" }), "NOT_FOUND");
    await expectFailure(stranger.template.update({ templateId, name: "Mine now" }), "NOT_FOUND");
    await expectFailure(stranger.template.delete({ templateId }), "NOT_FOUND");
    await expectFailure(anonymous.template.list({ mine: true }), "UNAUTHORIZED");
    const name = (await author.template.byId({ templateId })).name;
    expect((await stranger.template.list({ q: name })).templates.map((t) => t.id)).not.toContain(templateId);
    expect((await stranger.template.listPublic()).map((t) => t.id)).not.toContain(templateId);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM projects WHERE template_id = $1`, [templateId]);
    expect(rows[0].n).toBe(0);
    expect(await ratingRows(templateId)).toMatchObject([{ rating: 5, helpful_count: 0 }]);
    expect((await author.template.files({ templateId, path: "src/secret.ts" })).file?.content).toBe(
      "export const s = 1;\n",
    );
  });
});
