import { readFile, rename, writeFile } from "node:fs/promises";

export async function loadTasks(file) {
  try {
    const data = JSON.parse(await readFile(file, "utf8"));
    if (!Array.isArray(data)) throw new Error(`${file} does not hold a task list`);
    return data;
  } catch (err) {
    if (err.code === "ENOENT") return [];
    throw err;
  }
}

/** Writes to a temporary file first so an interrupted write never leaves a truncated list. */
export async function saveTasks(file, tasks) {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(tasks, null, 2)}\n`);
  await rename(tmp, file);
}
