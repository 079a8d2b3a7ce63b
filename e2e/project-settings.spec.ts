import { createUser, expect, signInAs, test, trpcMutation } from "./fixtures";

const modKey = process.platform === "darwin" ? "Meta" : "Control";
const SECRET = "sk-e2e-env-value-5531";

test("create a blank project with architecture and stack, mask an env var, limits, archive, unarchive, delete", async ({
  page,
}) => {
  const user = await createUser(page);
  await signInAs(page.context(), user);
  const bodies: string[] = [];
  page.on("response", (response) => {
    if (response.url().includes("/api/trpc/"))
      void response.text().then(
        (text) => bodies.push(text),
        () => {},
      );
  });

  await page.goto("/projects");
  await page.getByRole("button", { name: "New project" }).click();
  const dialog = page.getByRole("dialog", { name: "New project" });
  await dialog.getByLabel("Name").fill("Settings shop");
  await dialog.getByLabel("Architecture").selectOption("pwa");
  await dialog.getByLabel("Tech stack").fill("React");
  await dialog.getByLabel("Tech stack").press("Enter");
  await dialog.getByLabel("Tech stack").fill("Deno");
  await dialog.getByLabel("Tech stack").press("Enter");
  await dialog.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
  const projectId = page.url().split("/").pop()!;

  await page.getByTestId("project-settings-link").click();
  await expect(page).toHaveURL(new RegExp(`/projects/${projectId}/settings$`));
  await expect(page.getByLabel("Architecture")).toHaveValue("pwa");
  await expect(page.getByTestId("tech-stack")).toContainText("React");
  await expect(page.getByTestId("tech-stack")).toContainText("Deno");

  await page.getByLabel("Name", { exact: true }).last().fill("API_KEY");
  await page.getByLabel("Value").fill(SECRET);
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByTestId("env-var")).toContainText("API_KEY");
  await expect(page.getByTestId("env-var")).toContainText("set");
  await page.reload();
  await expect(page.getByTestId("env-var")).toContainText("API_KEY");
  expect(await page.content()).not.toContain(SECRET);

  await page.getByLabel("CPU (%)").fill("150");
  await page.getByRole("button", { name: "Save limits" }).click();
  await expect(page.getByTestId("limits-form")).toContainText("from 1 to 100");
  await page.getByLabel("CPU (%)").fill("50");
  await page.getByRole("button", { name: "Save limits" }).click();
  await expect(page.getByTestId("limits-form")).toContainText("Saved.");

  // A buffer edited in the IDE, then the project archived (from elsewhere): the save is refused.
  await page.goto(`/projects/${projectId}`);
  await page.getByRole("tree", { name: "Project files" }).getByText("README.md").click();
  await page.getByTestId("code-editor").click();
  await page.keyboard.type("more ");
  expect((await trpcMutation(page, "project.archive", { projectId })).ok()).toBe(true);
  await page.keyboard.press(`${modKey}+s`);
  await expect(page.getByTestId("save-status")).toContainText("archived; unarchive it to make changes");
  await page.reload();
  await expect(page.getByTestId("archived-banner")).toBeVisible();

  await page.getByTestId("archived-banner").getByRole("button", { name: "Unarchive" }).click();
  await expect(page.getByTestId("archived-banner")).toBeHidden();

  await page.goto(`/projects/${projectId}/settings`);
  await page.getByLabel(/^Type Settings shop to delete/).fill("Settings sho");
  await expect(page.getByRole("button", { name: "Delete project" })).toBeDisabled();
  await page.getByLabel(/^Type Settings shop to delete/).fill("Settings shop");
  await page.getByRole("button", { name: "Delete project" }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByText("No projects yet")).toBeVisible();
  for (const body of bodies) expect(body).not.toContain(SECRET);
});
