import { parseArgs } from "node:util";
import { addTask, completeTask, formatTasks, removeTask } from "./tasks.js";
import { loadTasks, saveTasks } from "./store.js";

const HELP = `Usage: todo <command> [options]

Commands:
  add <text...>     add a task
  list              list open tasks (--all to include done ones)
  done <id>         mark a task as done
  rm <id>           remove a task

Options:
  -f, --file <path> the task file (default: $TODO_FILE or ./todo.json)
  -a, --all         with list: show done tasks too
  -h, --help        show this help
`;

/**
 * Runs the CLI and resolves to the process exit code, so tests can call it without spawning a process.
 */
export async function run(argv, { env, stdout, stderr }) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        file: { type: "string", short: "f" },
        all: { type: "boolean", short: "a", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    stderr.write(`todo: ${err.message}\n\n${HELP}`);
    return 2;
  }

  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    stdout.write(HELP);
    return values.help ? 0 : 2;
  }

  const file = values.file ?? env.TODO_FILE ?? "todo.json";

  try {
    const tasks = await loadTasks(file);
    switch (command) {
      case "add": {
        const text = rest.join(" ").trim();
        if (!text) throw new UsageError("add needs the task text");
        const { tasks: next, task } = addTask(tasks, text);
        await saveTasks(file, next);
        stdout.write(`Added #${task.id}: ${task.text}\n`);
        return 0;
      }
      case "list":
      case "ls":
        stdout.write(formatTasks(tasks, { all: values.all }));
        return 0;
      case "done":
        await saveTasks(file, completeTask(tasks, parseId(rest[0])));
        stdout.write(`Done #${rest[0]}\n`);
        return 0;
      case "rm":
        await saveTasks(file, removeTask(tasks, parseId(rest[0])));
        stdout.write(`Removed #${rest[0]}\n`);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    stderr.write(`todo: ${err.message}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}

class UsageError extends Error {}

function parseId(value) {
  const id = Number(value);
  if (!Number.isInteger(id) || id < 1) throw new UsageError(`expected a task id, got "${value ?? ""}"`);
  return id;
}
