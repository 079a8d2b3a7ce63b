/** Pure functions over the task list: every change returns a new array. */

export function addTask(tasks, text) {
  const id = tasks.reduce((max, t) => Math.max(max, t.id), 0) + 1;
  const task = { id, text, done: false, createdAt: new Date().toISOString() };
  return { tasks: [...tasks, task], task };
}

export function completeTask(tasks, id) {
  findOrThrow(tasks, id);
  return tasks.map((t) => (t.id === id ? { ...t, done: true } : t));
}

export function removeTask(tasks, id) {
  findOrThrow(tasks, id);
  return tasks.filter((t) => t.id !== id);
}

export function formatTasks(tasks, { all = false } = {}) {
  const shown = all ? tasks : tasks.filter((t) => !t.done);
  if (shown.length === 0) return "Nothing to do.\n";
  return shown.map((t) => `${t.done ? "[x]" : "[ ]"} #${t.id} ${t.text}\n`).join("");
}

function findOrThrow(tasks, id) {
  const task = tasks.find((t) => t.id === id);
  if (!task) throw new Error(`no task #${id}`);
  return task;
}
