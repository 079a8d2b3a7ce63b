import { createUser, expect, signInAs, test } from "./fixtures";

/** The official templates the seed installs (prisma/seed/templates/*). */
const SEEDED = [
  "React + Vite",
  "Next.js App Router",
  "Vue 3 + Vite",
  "Express REST API",
  "Fastify API (TypeScript)",
  "Node.js CLI",
  "Progressive Web App",
  "Static Site",
  "Tailwind Landing Page",
];

test("browse the gallery signed out: filter by two tags, search, clear, sort, open a template", async ({
  page,
  request,
}) => {
  // The cards are in the server's HTML: prefetched, not fetched by the browser afterwards.
  const html = await (await request.get("/templates")).text();
  expect(html).toContain("React + Vite");
  expect(html).toContain('data-testid="template-card"');

  await page.goto("/templates");
  await expect(page.getByRole("heading", { level: 1, name: "Templates" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Templates" })).toBeVisible();
  for (const name of SEEDED) await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  await expect(page.getByTestId("gallery-count")).toHaveText(/^\d+ templates$/);
  const react = page.getByTestId("template-card").filter({ has: page.getByRole("link", { name: "React + Vite" }) });
  await expect(react.getByText("Official")).toBeVisible();
  await expect(react.getByRole("img", { name: /Not rated yet|Rated/ })).toBeVisible();
  await expect(react.getByText(/not used yet|used [\d,]+ times?/)).toBeVisible();

  // Two tags at once: only templates with both.
  const tags = page.getByTestId("tag-filter");
  await tags.getByRole("button", { name: /^vite \(/ }).click();
  await tags.getByRole("button", { name: /^typescript \(/ }).click();
  await expect(page).toHaveURL(/\/templates\?tags=vite,typescript$/);
  await expect(tags.getByRole("button", { name: /^vite \(/ })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("link", { name: "Next.js App Router" })).toBeHidden();
  await expect(page.getByRole("link", { name: "Tailwind Landing Page" })).toBeHidden();
  await expect(page.getByRole("link", { name: "React + Vite" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Vue 3 + Vite" })).toBeVisible();
  for (const card of await page.getByTestId("template-card").all()) {
    const cardTags = card.getByRole("list", { name: "Tags" });
    await expect(cardTags.getByText("vite", { exact: true })).toBeVisible();
    await expect(cardTags.getByText("typescript", { exact: true })).toBeVisible();
  }
  // A selected tag is removable from the active filters.
  await page.getByRole("button", { name: "Remove tag typescript" }).click();
  await expect(page).toHaveURL(/\/templates\?tags=vite$/);
  await expect(page.getByRole("link", { name: "Tailwind Landing Page" })).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/templates$/);

  // A prefix search, as the user types; sorted by relevance while searching.
  await page.getByLabel("Search templates").fill("reac");
  await expect(page).toHaveURL(/\/templates\?q=reac$/);
  await expect(page.getByRole("link", { name: "React + Vite" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Express REST API" })).toBeHidden();
  await expect(page.getByLabel("Sort by")).toHaveValue("relevance");

  // Nothing matches: the empty state names the filters and clears them.
  await page.getByLabel("Search templates").fill("reac zzzqqq");
  const empty = page.getByTestId("gallery-empty");
  await expect(empty).toContainText("No templates match");
  await expect(empty).toContainText("“reac zzzqqq”");
  await empty.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/templates$/);
  await expect(page.getByLabel("Search templates")).toHaveValue("");
  for (const name of SEEDED) await expect(page.getByRole("link", { name, exact: true })).toBeVisible();

  // Sort by top rated; Back undoes it.
  await page.getByLabel("Sort by").selectOption({ label: "Top rated" });
  await expect(page).toHaveURL(/\/templates\?sort=top-rated$/);
  await expect(page.getByText("Top rated weighs the number of ratings")).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/templates$/);
  await expect(page.getByLabel("Sort by")).toHaveValue("popular");
  await page.goForward();
  await expect(page.getByLabel("Sort by")).toHaveValue("top-rated");

  // The card opens the template's page.
  await page.getByRole("link", { name: "React + Vite" }).click();
  await expect(page).toHaveURL(/\/templates\/[0-9a-f-]{36}$/);
});

test("a mangled URL still opens the gallery, its bad values ignored", async ({ page }) => {
  const response = await page.goto("/templates?sort=bogus&page=-3&category=spaceship&tags=%3Cscript%3E,vite&mine=1");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Templates" })).toBeVisible();
  await expect(page.getByLabel("Sort by")).toHaveValue("popular");
  // The valid tag is kept; "mine" needs a signed-in viewer and is ignored.
  await expect(page.getByRole("button", { name: "Remove tag vite" })).toBeVisible();
  await expect(page.getByRole("link", { name: "React + Vite" })).toBeVisible();
  await expect(page.getByLabel("My templates")).toHaveCount(0);

  // A page past the end offers the way back.
  await page.goto("/templates?page=999");
  await expect(page.getByTestId("gallery-empty")).toContainText("There is no page 999");
  await page.getByRole("button", { name: "Go to the first page" }).click();
  await expect(page).toHaveURL(/\/templates$/);
  await expect(page.getByRole("link", { name: "React + Vite" })).toBeVisible();
});

test("signed in, 'My templates' with none yet explains how to publish one", async ({ page }) => {
  const user = await createUser(page);
  await signInAs(page.context(), user);
  await page.goto("/templates");
  await page.getByLabel("My templates").click();
  await expect(page).toHaveURL(/\/templates\?mine=1$/);
  const empty = page.getByTestId("gallery-empty");
  await expect(empty).toContainText("You have not published a template yet");
  await expect(empty).toContainText("Publish as template");
  await page.reload();
  await expect(page.getByLabel("My templates")).toBeChecked();
  await expect(page.getByTestId("gallery-empty")).toContainText("You have not published a template yet");
});
