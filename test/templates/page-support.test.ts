import { describe, expect, it } from "vitest";
import { AppError } from "~/server/errors";
import { anonymousCaller, expectFailure, publishedTemplate, signedInUser } from "./support";

/** What the template page and the IDE's publish dialog rely on beyond the procedures' own tests. */
describe("template page support", () => {
  it("the author's own list names the project each template was published from; the public list never does", async () => {
    const { api } = await signedInUser();
    const { templateId, projectId } = await publishedTemplate(api, { name: "Source named" });
    const mine = await api.template.list({ mine: true });
    expect(mine.templates.find((template) => template.id === templateId)?.sourceProjectId).toBe(projectId);
    const anonymous = await anonymousCaller();
    const listed = await anonymous.template.list({ q: "Source named", sort: "newest" });
    for (const template of listed.templates) expect(template.sourceProjectId).toBeNull();
  });

  it("a version not above the current one names the version field", async () => {
    const { api } = await signedInUser();
    const { templateId, projectId } = await publishedTemplate(api);
    const error = await expectFailure(
      api.template.publish({ mode: "version", projectId, templateId, version: "1.0.0", changelog: "Again." }),
      "BAD_REQUEST",
      /above the current one, 1\.0\.0/,
    );
    expect((error.cause as AppError).data).toEqual({ field: "version" });
  });

  it("a project name already taken (using a template too) names the name field", async () => {
    const { api } = await signedInUser();
    const { templateId } = await publishedTemplate(api);
    await api.template.use({ templateId, name: "Twice", description: "" });
    const error = await expectFailure(
      api.template.use({ templateId, name: "Twice", description: "" }),
      "CONFLICT",
      /already have a project named “Twice”/,
    );
    expect(error.cause).toBeInstanceOf(AppError);
    expect((error.cause as AppError).data).toEqual({ field: "name" });
  });
});
