import { unzipSync } from "fflate";
import fs from "node:fs";
import { deflateSync } from "node:zlib";
import { createFileApi, editorValue, expect, openFreshProject, test } from "./fixtures";

/** A real 2x2 PNG, built here (no binary fixtures in the repo). */
function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const pixels = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 0]);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(pixels)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

test("upload an image and see it, rename, move by drag and drop, download and delete files", async ({
  page,
}, testInfo) => {
  const { projectId } = await openFreshProject(page);
  await createFileApi(page, projectId, "src/util.ts", "export const answer = 42;\n");
  await createFileApi(page, projectId, "docs/.gitkeep", "");
  await page.goto(`/projects/${projectId}`);
  const tree = page.getByRole("tree", { name: "Project files" });

  // Upload a binary file: stored as base64, previewed as an image.
  const png = testInfo.outputPath("logo.png");
  fs.writeFileSync(png, tinyPng());
  await expect(page.getByTestId("upload-input")).toHaveAttribute("data-ready", "true");
  await page.getByTestId("upload-input").setInputFiles(png);
  await tree.getByRole("treeitem", { name: /logo\.png/ }).click();
  await expect(page.getByRole("img", { name: "Preview of logo.png" })).toBeVisible();

  // Rename through the item's menu.
  await tree.getByRole("treeitem", { name: /^src/ }).click();
  await tree.getByRole("treeitem", { name: /util\.ts/ }).hover();
  await page.getByRole("button", { name: "Actions for util.ts" }).click();
  await page.getByRole("menuitem", { name: "Rename or move" }).click();
  await page.getByLabel("Path").fill("src/helpers.ts");
  await page.getByRole("button", { name: "Rename" }).click();
  await expect(tree.getByRole("treeitem", { name: /helpers\.ts/ })).toBeVisible();
  await expect(tree.getByRole("treeitem", { name: /util\.ts/ })).toHaveCount(0);

  // Move by drag and drop into another folder; its tab follows it.
  await tree.getByRole("treeitem", { name: /helpers\.ts/ }).click();
  await expect.poll(() => editorValue(page)).toBe("export const answer = 42;\n");
  await tree.getByRole("treeitem", { name: /helpers\.ts/ }).dragTo(tree.getByRole("treeitem", { name: /^docs/ }));
  await expect(page.getByTestId("tab-docs/helpers.ts")).toBeVisible();

  // Download a file.
  await tree.getByRole("treeitem", { name: /README\.md/ }).hover();
  await page.getByRole("button", { name: "Actions for README.md" }).click();
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("menuitem", { name: "Download" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe("README.md");
  expect(fs.readFileSync(await download.path(), "utf8")).toContain("#");

  // Delete (after confirming); the file is then listed under deleted files and can come back.
  await tree.getByRole("treeitem", { name: /logo\.png/ }).hover();
  await page.getByRole("button", { name: "Actions for logo.png" }).click();
  await page.getByRole("menuitem", { name: "Delete" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(tree.getByRole("treeitem", { name: /logo\.png/ })).toHaveCount(0);
  await page.getByRole("button", { name: "History" }).click();
  await page.getByRole("button", { name: "Restore logo.png" }).click();
  await expect(tree.getByRole("treeitem", { name: /logo\.png/ })).toBeVisible();
  await expect(page.getByRole("img", { name: "Preview of logo.png" })).toBeVisible();
});

test("bad paths are refused with a clear message and change nothing", async ({ page }) => {
  const { projectId } = await openFreshProject(page);
  await page.goto(`/projects/${projectId}`);
  for (const [path, message] of [
    ["../escape.txt", /\. or \.\./],
    ["/etc/passwd", /relative to the project root/],
    ["a//b.txt", /empty folder name/],
    ["pay\u200bment.txt", /invisible characters/],
    ["report\u202etxt.exe", /bidirectional/],
  ] as const) {
    await page.getByRole("button", { name: "New file" }).click();
    await page.getByLabel("Path").fill(path);
    await page.getByRole("button", { name: "Create" }).click();
    await expect(page.getByRole("dialog").getByRole("alert")).toHaveText(message);
    await page.getByRole("button", { name: "Cancel" }).click();
  }
  await expect(page.getByRole("tree", { name: "Project files" }).getByRole("treeitem")).toHaveCount(1);
});

test("an uploaded file keeps its UTF-8 byte-order mark, byte for byte, in the export and through an edit", async ({
  page,
}, testInfo) => {
  const { projectId } = await openFreshProject(page);
  await page.goto(`/projects/${projectId}`);
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("id;città\r\n1;Genova\r\n")]);
  const csv = testInfo.outputPath("cities.csv");
  fs.writeFileSync(csv, bytes);
  await expect(page.getByTestId("upload-input")).toHaveAttribute("data-ready", "true");
  await page.getByTestId("upload-input").setInputFiles(csv);
  await expect(
    page.getByRole("tree", { name: "Project files" }).getByRole("treeitem", { name: /cities\.csv/ }),
  ).toBeVisible();

  const exportCsv = async () => {
    const response = await page.request.get(`/api/projects/${projectId}/export`);
    expect(response.status()).toBe(200);
    return Buffer.from(unzipSync(new Uint8Array(await response.body()))["cities.csv"]!);
  };
  expect(await exportCsv()).toEqual(bytes);

  // Edited in Monaco (which keeps the mark apart from the text it shows) and saved: the mark is still there.
  await page
    .getByRole("tree", { name: "Project files" })
    .getByRole("treeitem", { name: /cities\.csv/ })
    .click();
  await expect.poll(() => editorValue(page)).toBe(bytes.toString("utf8"));
  await page.getByTestId("code-editor").click();
  await page.evaluate(() => window.__vaporformEditor?.setValue("id;città\r\n1;Genova\r\n2;Torino\r\n"));
  await page.keyboard.press(`${process.platform === "darwin" ? "Meta" : "Control"}+s`);
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  expect(await exportCsv()).toEqual(
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("id;città\r\n1;Genova\r\n2;Torino\r\n")]),
  );
});
