import { createUser, expect, signInAs, test } from "./fixtures";

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
  await expect(page.getByRole("tree", { name: "Project files" }).getByRole("treeitem", { name: /index\.html/ })).toBeVisible();

  await page.goto("/projects");
  await expect(page.getByRole("link", { name: /My landing page/ })).toBeVisible();

  // The same name twice is refused, with the reason on the field.
  await page.getByRole("button", { name: "New project" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill("My landing page");
  await page.getByRole("dialog").getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("dialog").getByText(/already/i)).toBeVisible();
});
