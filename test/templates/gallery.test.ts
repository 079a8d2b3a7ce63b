import { describe, expect, it } from "vitest";
import { prefixQuery } from "~/server/services/templates/gallery";
import { pool } from "../db";
import { anonymousCaller, expectFailure, publishedTemplate, setRatings, signedInUser, uniqueWord } from "./support";

describe("template.list", () => {
  it("filters by category and by several tags at once (all of them), signed out", async () => {
    const { api } = await signedInUser();
    const [a, b] = [uniqueWord(), uniqueWord()];
    const both = await publishedTemplate(api, { tags: [a, b], category: "api" });
    const onlyA = await publishedTemplate(api, { tags: [a], category: "api" });
    await publishedTemplate(api, { tags: [a, b], category: "cli" });
    const anon = await anonymousCaller();

    const byTags = await anon.template.list({ tags: [a, b], category: "api" });
    expect(byTags.templates.map((t) => t.id)).toEqual([both.templateId]);
    const byOneTag = await anon.template.list({ tags: [a], category: "api" });
    expect(byOneTag.templates.map((t) => t.id).sort()).toEqual([both.templateId, onlyA.templateId].sort());
    expect(byOneTag.total).toBe(2);
  });

  it("searches name, tags and description by word prefix, ranked, and never fails on odd input", async () => {
    const { api } = await signedInUser();
    const word = uniqueWord();
    const named = await publishedTemplate(api, { name: `${word} starter kit` });
    const tagged = await publishedTemplate(api, { tags: [word] });
    const anon = await anonymousCaller();

    const found = await anon.template.list({ q: word.slice(0, -2) });
    expect(found.sort).toBe("relevance");
    expect(found.templates.map((t) => t.id)).toEqual([named.templateId, tagged.templateId]);
    for (const q of ["'", "&|!:*()", "a & (", "\\", "<script>"]) {
      await expect(anon.template.list({ q })).resolves.toMatchObject({ page: 1 });
    }
    // Stop words only: no filter rather than nothing.
    expect((await anon.template.list({ q: "the" })).total).toBe((await anon.template.list({})).total);
    expect(prefixQuery("React + Vite!")).toBe("react:* & vite:*");
    expect(prefixQuery("  ")).toBeNull();
  });

  it("ranks top rated by the Bayesian average: one 5-star vote does not beat two hundred good ones", async () => {
    const { api } = await signedInUser();
    const tag = uniqueWord();
    const single = await publishedTemplate(api, { tags: [tag] });
    const many = await publishedTemplate(api, { tags: [tag] });
    const poor = await publishedTemplate(api, { tags: [tag] });
    await setRatings(single.templateId, 5, 1);
    await setRatings(many.templateId, 920, 200);
    await setRatings(poor.templateId, 2 * 50, 50);

    const page = await (await anonymousCaller()).template.list({ tags: [tag], sort: "top-rated" });
    expect(page.templates.map((t) => t.id)).toEqual([many.templateId, single.templateId, poor.templateId]);
    // The card shows the plain average and the count beside it.
    expect(page.templates[1]).toMatchObject({ ratingAverage: 5, ratingCount: 1 });
    expect(page.templates[0]).toMatchObject({ ratingAverage: 4.6, ratingCount: 200 });
  });

  it("sorts by popular and newest, and pages", async () => {
    const { api } = await signedInUser();
    const tag = uniqueWord();
    const ids: string[] = [];
    for (let i = 0; i < 26; i += 1) ids.push((await publishedTemplate(api, { tags: [tag] })).templateId);
    await setRatings(ids[3]!, 0, 0, 99);
    await pool.query(`UPDATE project_templates SET published_at = now() + interval '1 hour' WHERE id = $1`, [ids[7]]);
    const anon = await anonymousCaller();

    const popular = await anon.template.list({ tags: [tag], sort: "popular" });
    expect(popular.templates[0]!.id).toBe(ids[3]);
    expect(popular).toMatchObject({ total: 26, pages: 2, pageSize: 24 });
    expect(popular.templates).toHaveLength(24);
    const second = await anon.template.list({ tags: [tag], sort: "popular", page: 2 });
    expect(second.templates).toHaveLength(2);
    expect(new Set([...popular.templates, ...second.templates].map((t) => t.id)).size).toBe(26);
    expect(await anon.template.list({ tags: [tag], sort: "popular", page: 9 })).toMatchObject({
      templates: [],
      total: 26,
      pages: 2,
    });
    const newest = await anon.template.list({ tags: [tag], sort: "newest" });
    expect(newest.templates[0]!.id).toBe(ids[7]);
  });

  it("shows private templates only to their author, under mine", async () => {
    const { api } = await signedInUser();
    const { api: other } = await signedInUser();
    const tag = uniqueWord();
    const { templateId } = await publishedTemplate(api, { tags: [tag] });
    await api.template.update({ templateId, isPublic: false });

    expect((await other.template.list({ tags: [tag] })).total).toBe(0);
    expect((await api.template.list({ tags: [tag] })).total).toBe(0);
    expect((await api.template.list({ tags: [tag], mine: true })).templates.map((t) => t.id)).toEqual([templateId]);
    await expectFailure(other.template.byId({ templateId }), "NOT_FOUND");
    await expectFailure((await anonymousCaller()).template.list({ mine: true }), "UNAUTHORIZED");
  });

  it("refuses too many tags, a bad category and a bad sort with clear errors", async () => {
    const anon = await anonymousCaller();
    await expectFailure(
      anon.template.list({ tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }),
      "BAD_REQUEST",
      /at most 10 tags/,
    );
    await expectFailure(anon.template.list({ category: "nope" as "api" }), "BAD_REQUEST");
    await expectFailure(anon.template.list({ sort: "random" as "newest" }), "BAD_REQUEST");
  });

  it("counts facets among what the other filters leave, so a count is what clicking it gives", async () => {
    const { api } = await signedInUser();
    const [a, b, c] = [uniqueWord(), uniqueWord(), uniqueWord()];
    await publishedTemplate(api, { tags: [a, b], category: "api" });
    await publishedTemplate(api, { tags: [a, c], category: "api" });
    await publishedTemplate(api, { tags: [a, b], category: "cli" });
    const anon = await anonymousCaller();
    const withA = await anon.template.facets({ tags: [a] });
    expect(withA.categories).toEqual([
      { category: "api", count: 2 },
      { category: "cli", count: 1 },
    ]);
    const inApi = await anon.template.facets({ tags: [a], category: "api" });
    expect(inApi.tags[0]).toEqual({ tag: a, count: 2 });
    expect(inApi.tags.slice(1)).toEqual(
      [
        { tag: b, count: 1 },
        { tag: c, count: 1 },
      ].sort((x, y) => (x.tag < y.tag ? -1 : 1)),
    );
    for (const facet of inApi.tags) {
      const tags = facet.tag === a ? [a] : [a, facet.tag];
      expect((await anon.template.list({ tags, category: "api" })).total).toBe(facet.count);
    }
  });

  it("lists the facets: categories and tags of public templates with their counts", async () => {
    const { api } = await signedInUser();
    await publishedTemplate(api, { tags: ["react"], category: "web-app" });
    const facets = await (await anonymousCaller()).template.facets();
    expect(facets.categories.find((c) => c.category === "web-app")?.count).toBeGreaterThan(0);
    expect(facets.tags.find((t) => t.tag === "react")?.count).toBeGreaterThan(0);
  });
});
