import { createProject, createUser, expect, signInAs, test } from "./fixtures";

test("create a project from a template and land in its IDE with the template's files", async ({ page }) => {
  const user = await createUser(page);
  await signInAs(page.context(), user);
  await page.goto("/projects");
  await expect(page.getByText("No projects yet")).toBeVisible();

  await page.getByRole("button", { name: "New project" }).click();
  const dialog = page.getByRole("dialog", { name: "New project" });
  await dialog.getByLabel("Name").fill("My landing page");
  await dialog.getByLabel("Start from").selectOption({ label: "Static Site (static)" });
  await dialog.getByRole("button", { name: "Create project" }).click();

  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "My landing page" })).toBeVisible();
  await expect(page).toHaveTitle("My landing page · Vaporform");
  await expect(
    page.getByRole("tree", { name: "Project files" }).getByRole("treeitem", { name: /index\.html/ }),
  ).toBeVisible();

  await page.goto("/projects");
  await expect(page.getByRole("link", { name: /^My landing page/ })).toBeVisible();

  // The same name twice is refused, with the reason on the field.
  await page.getByRole("button", { name: "New project" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill("My landing page");
  await page.getByRole("dialog").getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("dialog").getByText(/already/i)).toBeVisible();
});

test("someone else's project, or one that does not exist, is a friendly 404", async ({ page, browser }) => {
  const owner = await createUser(page);
  await signInAs(page.context(), owner);
  const projectId = await createProject(page, "Private work");

  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  await signInAs(stranger, await createUser(strangerPage));
  for (const path of [
    `/projects/${projectId}`,
    "/projects/00000000-0000-4000-8000-000000000000",
    "/projects/not-a-uuid",
  ]) {
    const visit = await strangerPage.goto(path);
    expect(visit?.status(), path).toBe(404);
    await expect(strangerPage.getByRole("heading", { name: "This page does not exist" })).toBeVisible();
  }
  const zip = await strangerPage.request.get(`/api/projects/${projectId}/export`);
  expect(zip.status()).toBe(404);
  await stranger.close();
});
