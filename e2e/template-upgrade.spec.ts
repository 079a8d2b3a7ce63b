import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { createFileApi, expect, readFileApi, saveFileApi, test, trpcMutation, openFreshProject } from "./fixtures";

async function mutation<T>(page: Page, path: string, input: unknown): Promise<T> {
  const response = await trpcMutation(page, path, input);
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

const CONFIG_V1 = "export const config = {\n  title: 'Starter',\n  retries: 1,\n};\n";

test("upgrades a project made from 1.0.0 to 1.1.0: one clean change, one collision resolved by hand", async ({
  page,
}) => {
  const tag = randomBytes(3).toString("hex");
  const { projectId: source } = await openFreshProject(page, `Starter source ${tag}`);
  await createFileApi(page, source, "src/config.ts", CONFIG_V1);
  await createFileApi(page, source, "src/greet.ts", "export const greet = () => 'hello';\n");
  const { templateId } = await mutation<{ templateId: string }>(page, "template.publish", {
    mode: "new",
    projectId: source,
    name: `Starter ${tag}`,
    description: "A starter to upgrade.",
    category: "web-app",
    tags: ["starter"],
    isPublic: true,
  });

  // A project made from 1.0.0, whose owner changes the title.
  const { id: projectId } = await mutation<{ id: string }>(page, "template.use", {
    templateId,
    name: `Made from starter ${tag}`,
  });
  const mine = await readFileApi(page, projectId, "src/config.ts");
  await saveFileApi(
    page,
    projectId,
    "src/config.ts",
    mine.content.replace("'Starter'", "'My app'"),
    mine.id,
    mine.version,
  );

  // Version 1.1.0 changes greet.ts (clean) and the same title line (a collision).
  const config = await readFileApi(page, source, "src/config.ts");
  await saveFileApi(
    page,
    source,
    "src/config.ts",
    config.content.replace("'Starter'", "'Starter kit'"),
    config.id,
    config.version,
  );
  const greet = await readFileApi(page, source, "src/greet.ts");
  await saveFileApi(
    page,
    source,
    "src/greet.ts",
    "export const greet = (name: string) => `hello ${name}`;\n",
    greet.id,
    greet.version,
  );
  await mutation(page, "template.publish", {
    mode: "version",
    projectId: source,
    templateId,
    version: "1.1.0",
    changelog: "greet takes a name; a better title.",
  });

  await page.goto(`/projects/${projectId}`);
  const banner = page.getByTestId("template-upgrade-banner");
  await expect(page.getByTestId("template-upgrade-message")).toContainText(
    `Starter ${tag} 1.1.0 is available (you have 1.0.0)`,
  );
  await banner.getByTestId("template-upgrade-changelog").locator("summary").click();
  await expect(banner).toContainText("greet takes a name");
  await page.getByTestId("template-upgrade-review").click();

  await expect(page.getByTestId("upgrade-page")).toBeVisible();
  await expect(page.getByTestId("upgrade-summary")).toContainText("1 change applies cleanly, 1 conflict");
  const greetRow = page.getByTestId("upgrade-file").filter({ hasText: "src/greet.ts" });
  const configRow = page.getByTestId("upgrade-file").filter({ hasText: "src/config.ts" });
  await expect(greetRow).toHaveAttribute("data-status", "clean");
  await expect(configRow).toHaveAttribute("data-status", "conflict");
  await expect(page.getByTestId("upgrade-apply")).toBeDisabled();

  // Resolve by hand: both titles' intent, in the editable side of the diff editor.
  await configRow.click();
  await page.waitForFunction(() => Boolean(window.__vaporformDiffEditor));
  await expect
    .poll(() => page.evaluate(() => window.__vaporformDiffEditor?.getValue() ?? ""))
    .toContain("<<<<<<< yours");
  const resolved = "export const config = {\n  title: 'My app (Starter kit)',\n  retries: 1,\n};\n";
  await page.evaluate((text) => window.__vaporformDiffEditor?.setValue(text), resolved);
  await expect(configRow).toHaveAttribute("data-status", "resolved");
  await expect(page.getByTestId("upgrade-apply")).toBeEnabled();
  await page.getByTestId("upgrade-apply").click();

  await page.waitForURL(`**/projects/${projectId}`);
  await expect(page.getByTestId("template-upgrade-banner")).toHaveCount(0);
  expect((await readFileApi(page, projectId, "src/config.ts")).content).toBe(resolved);
  expect((await readFileApi(page, projectId, "src/greet.ts")).content).toBe(
    "export const greet = (name: string) => `hello ${name}`;\n",
  );
});
