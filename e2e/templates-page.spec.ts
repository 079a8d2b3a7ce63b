import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { createProject, createUser, editorValue, expect, signInAs, test } from "./fixtures";

/** A public template's id by its exact name, found through the gallery's query as a signed-out visitor would. */
async function templateIdByName(page: Page, name: string): Promise<string> {
  const input = encodeURIComponent(JSON.stringify({ json: { q: name } }));
  const response = await page.request.get(`/api/trpc/template.list?input=${input}`);
  expect(response.status(), await response.text()).toBe(200);
  const body = (await response.json()) as { result: { data: { json: { templates: { id: string; name: string }[] } } } };
  const template = body.result.data.json.templates.find((entry) => entry.name === name);
  expect(template, `a public template named ${name}`).toBeTruthy();
  return template!.id;
}

/** The number in one row of the rating histogram. */
async function histogramCount(page: Page, stars: number): Promise<number> {
  return Number(await page.getByTestId(`histogram-${stars}-count`).innerText());
}

async function average(page: Page): Promise<number> {
  return Number(await page.getByTestId("rating-average").innerText());
}

test("a template's page: preview a file, rate and review as plain text, change the rating, use it", async ({
  page,
}) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const templateId = await templateIdByName(page, "React + Vite");

  // Signed out: the page, its files and a preview in Monaco.
  await page.goto(`/templates/${templateId}`);
  await expect(page.getByRole("heading", { level: 1, name: "React + Vite" })).toBeVisible();
  await expect(page.getByTestId("previewed-path")).toHaveText("README.md");
  await expect.poll(() => editorValue(page)).toContain("# React + Vite");
  const tree = page.getByRole("tree", { name: "Template files" });
  await tree.getByRole("treeitem", { name: "package.json" }).click();
  await expect(page.getByTestId("previewed-path")).toHaveText("package.json");
  await expect.poll(() => editorValue(page)).toContain('"vite"');
  await expect(page.getByTestId("read-only-view").locator(".view-lines")).toContainText("vite");
  // The keyboard reaches files in folders too.
  await tree.getByRole("treeitem", { name: "App.tsx" }).click();
  await expect.poll(() => editorValue(page)).toContain("export");

  await expect(page.getByRole("link", { name: "Sign in to rate" })).toHaveAttribute(
    "href",
    `/sign-in?callbackUrl=${encodeURIComponent(`/templates/${templateId}`)}`,
  );
  await expect(page.getByTestId("use-template")).toHaveAttribute("href", /\/sign-in\?callbackUrl=/);
  await expect(page.getByRole("heading", { name: "Versions" })).toBeVisible();
  await expect(page.getByTestId("version").first()).toContainText("1.1.0");

  // Signed in: rate 4 stars with a review that tries to be HTML.
  const user = await createUser(page);
  await signInAs(page.context(), user);
  await page.reload();
  const four = await histogramCount(page, 4);
  const five = await histogramCount(page, 5);
  const form = page.getByTestId("rating-form");
  await form.getByRole("radio", { name: "3 stars" }).check();
  // Arrow keys move the choice, as in any radio group.
  await form.getByRole("radio", { name: "3 stars" }).press("ArrowRight");
  await expect(form.getByRole("radio", { name: "4 stars" })).toBeChecked();
  const review = `Nice start.\n<script>alert(1)</script> <b>bold?</b>`;
  await form.getByLabel("Review (optional)").fill(review);
  await expect(form.getByTestId("review-counter")).toHaveText(`${review.length} / 2,000 characters`);
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("status")).toHaveText("Thanks! Your rating is saved.");
  await expect(page.getByTestId("histogram-4-count")).toHaveText(String(four + 1));
  const mine = page.getByTestId("review").filter({ hasText: user.fullName });
  await expect(mine.getByTestId("review-text")).toHaveText(review, { useInnerText: true });
  await expect(mine.locator("script, b")).toHaveCount(0);
  await expect(mine.getByRole("button", { name: /Helpful/ })).toHaveCount(0);
  const averageAfterFour = await average(page);

  // Changing it to 5 moves it in the histogram and raises the average; the form now updates or deletes.
  await expect(form.getByRole("button", { name: "Delete my rating" })).toBeVisible();
  await form.getByRole("radio", { name: "5 stars" }).check();
  await form.getByRole("button", { name: "Update" }).click();
  await expect(form.getByRole("status")).toHaveText("Your rating is updated.");
  await expect(page.getByTestId("histogram-5-count")).toHaveText(String(five + 1));
  await expect(page.getByTestId("histogram-4-count")).toHaveText(String(four));
  await expect.poll(() => average(page)).toBeGreaterThan(averageAfterFour);
  await expect(mine.getByRole("img", { name: "5 out of 5 stars" })).toBeVisible();
  expect(dialogs).toEqual([]);

  // Use it: a project with its files, open in the IDE.
  const projectName = `Vite app ${randomBytes(3).toString("hex")}`;
  await page.getByTestId("use-template").click();
  let dialog = page.getByRole("dialog", { name: "Use this template" });
  await expect(dialog.getByLabel("Project name")).toHaveValue("React Vite");
  await dialog.getByLabel("Project name").fill(projectName);
  await dialog.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: projectName })).toBeVisible();
  const files = page.getByRole("tree", { name: "Project files" });
  await expect(files.getByRole("treeitem", { name: /package\.json/ })).toBeVisible();
  await expect(files.getByRole("treeitem", { name: /vite\.config\.ts/ })).toBeVisible();

  // The same name again: the server's reason, under the field.
  await page.goto(`/templates/${templateId}`);
  await page.getByTestId("use-template").click();
  dialog = page.getByRole("dialog", { name: "Use this template" });
  await dialog.getByLabel("Project name").fill(projectName);
  await dialog.getByRole("button", { name: "Create project" }).click();
  await expect(dialog.getByLabel("Project name")).toHaveAccessibleDescription(/already have a project/);
});

test("publish a project as a template from the IDE, then a new version, and find it in the gallery", async ({
  page,
}) => {
  const user = await createUser(page);
  await signInAs(page.context(), user);
  const id = randomBytes(3).toString("hex");
  const projectId = await createProject(page, `Starter ${id}`);
  const templateName = `Starter kit ${id}`;

  await page.goto(`/projects/${projectId}`);
  await page.getByRole("button", { name: "Publish as template" }).click();
  let dialog = page.getByRole("dialog", { name: "Publish as template" });
  await expect(dialog.getByRole("radio", { name: /New template/ })).toBeChecked();
  await expect(dialog.getByRole("radio", { name: /New version/ })).toBeDisabled();
  await dialog.getByRole("textbox", { name: "Name" }).fill(templateName);
  await dialog.getByLabel("Description").fill("A blank project with a README, for the e2e gallery test.");
  await dialog.getByLabel("Category").selectOption({ label: "Static site" });
  const tags = dialog.getByTestId("tags-input");
  await tags.fill("starter");
  await tags.press("Enter");
  await tags.fill("e2e,");
  await expect(dialog.getByRole("button", { name: "Remove tag starter" })).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Remove tag e2e" })).toBeVisible();
  await expect(dialog.getByRole("switch", { name: "Public" })).toBeChecked();
  await expect(dialog.getByRole("textbox", { name: "Version" })).toHaveValue("1.0.0");
  await expect(dialog.getByLabel("Changelog")).toHaveValue("First release.");
  await dialog.getByRole("button", { name: "Publish template" }).click();
  await expect(dialog.getByTestId("publish-success")).toHaveText(`Published ${templateName} 1.0.0.`);
  await dialog.getByRole("link", { name: "View template" }).click();

  await expect(page).toHaveURL(/\/templates\/[0-9a-f-]{36}$/);
  const templateUrl = page.url();
  await expect(page.getByRole("heading", { level: 1, name: templateName })).toBeVisible();
  await expect(page.getByText("You can't rate your own template.")).toBeVisible();
  await expect(page.getByTestId("version")).toHaveCount(1);

  // A new version: the dialog proposes this project's template and the next minor version.
  await page.goto(`/projects/${projectId}`);
  await page.getByRole("button", { name: "Publish as template" }).click();
  dialog = page.getByRole("dialog", { name: "Publish as template" });
  await expect(dialog.getByRole("radio", { name: `New version of ${templateName}` })).toBeChecked();
  await expect(dialog.getByRole("textbox", { name: "Version" })).toHaveValue("1.1.0");
  // A version that is not above the current one is refused, with the reason on the field.
  await dialog.getByRole("textbox", { name: "Version" }).fill("1.0.0");
  await dialog.getByLabel("Changelog").fill("A second look at the README.\n\n- nothing else");
  await dialog.getByRole("button", { name: "Publish version" }).click();
  await expect(dialog.getByRole("textbox", { name: "Version" })).toHaveAccessibleDescription(
    /above the current one, 1\.0\.0/,
  );
  await dialog.getByRole("textbox", { name: "Version" }).fill("1.1.0");
  await dialog.getByRole("button", { name: "Publish version" }).click();
  await expect(dialog.getByTestId("publish-success")).toHaveText(`Published ${templateName} 1.1.0.`);

  await page.goto(templateUrl);
  const versions = page.getByTestId("version");
  await expect(versions).toHaveCount(2);
  await expect(versions.nth(0)).toContainText("1.1.0");
  await expect(versions.nth(0)).toContainText("Current");
  await expect(versions.nth(0)).toContainText("- nothing else");
  await expect(versions.nth(1)).toContainText("1.0.0");
  await expect(versions.nth(1)).toContainText("First release.");
  await expect(page.getByTestId("template-version")).toHaveText("Version 1.1.0");

  // The gallery finds it by its name.
  await page.goto("/templates");
  await page.getByLabel("Search templates").fill(templateName);
  await page
    .getByRole("link", { name: new RegExp(templateName) })
    .first()
    .click();
  await expect(page).toHaveURL(templateUrl);
});

test("a template that does not exist is the app's 404", async ({ page }) => {
  for (const path of ["/templates/00000000-0000-4000-8000-000000000000", "/templates/not-a-uuid"]) {
    const visit = await page.goto(path);
    expect(visit?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "This page does not exist" })).toBeVisible();
  }
});
