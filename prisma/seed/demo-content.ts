/**
 * The demo data's content: which projects exist, what was edited when and by whom, and the text of the
 * Claude conversations. Kept apart from the code that writes it (index.ts) so it reads as a story.
 */

export type DemoOwner = "demo" | "admin";
export type ModelName = "claude-opus-4-1" | "claude-sonnet-4-5" | "claude-haiku-4-5";
export type ProjectKey = "taskBoard" | "notesApi" | "portfolio" | "changelog";

export interface SeedFile {
  path: string;
  content: string;
}

export interface DemoProjectSpec {
  key: ProjectKey;
  owner: DemoOwner;
  name: string;
  description: string;
  functionality: string;
  /** Slug of the official template it was created from; otherwise `files` holds its files. */
  templateSlug?: string;
  files?: SeedFile[];
  /** Set when Claude generated the project (a `project_creation` interaction writes its files). */
  createdByClaude?: { prompt: string; response: string };
  techStack?: Record<string, unknown>;
  architectureType: "monolithic" | "pwa" | "microservices";
  createdDaysAgo: number;
  /** When on that day (UTC, HH:MM) it was created. */
  createdTime: string;
  limits: { memoryMb: number; cpuPercent: number; storageMb: number };
}

export interface EditSpec {
  project: ProjectKey;
  daysAgo: number;
  time: string;
  /** `claude` edits come with a file_modification interaction asked for by the project's owner. */
  by: "owner" | "claude";
  model?: ModelName;
  prompt?: string;
  summary?: string;
  changes: { path: string; replace?: [find: string, replacement: string][]; append?: string }[];
}

const portfolioFiles: SeedFile[] = [
  {
    path: "index.html",
    content: `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Alex Rivera: Portfolio</title>
    <link rel="stylesheet" href="style.css" />
    <script src="main.js" defer></script>
  </head>
  <body>
    <header>
      <h1>Alex Rivera</h1>
      <p class="tagline">Frontend developer. I like fast pages and accessible forms.</p>
    </header>
    <main>
      <section aria-labelledby="work-heading">
        <h2 id="work-heading">Selected work</h2>
        <ul id="projects" class="projects"></ul>
      </section>
    </main>
    <footer>
      <a href="mailto:alex@example.com">alex@example.com</a>
    </footer>
  </body>
</html>
`,
  },
  {
    path: "style.css",
    content: `:root {
  --bg: #fafaf9;
  --fg: #1c1917;
  --accent: #ea580c;
}

body {
  margin: 0 auto;
  max-width: 44rem;
  padding: 3rem 1.5rem;
  font-family: system-ui, sans-serif;
  line-height: 1.6;
  background: var(--bg);
  color: var(--fg);
}

.tagline {
  color: #57534e;
}

.projects {
  list-style: none;
  padding: 0;
  display: grid;
  gap: 1rem;
}

.projects li {
  border-left: 4px solid var(--accent);
  padding-left: 1rem;
}

a {
  color: var(--accent);
}
`,
  },
  {
    path: "main.js",
    content: `const projects = [
  { name: "Trail Maps", text: "Offline hiking maps as a PWA.", url: "https://example.com/trails" },
  { name: "Budget Buddy", text: "A spending tracker with charts.", url: "https://example.com/budget" },
  { name: "Recipe Box", text: "Search 2,000 recipes by what is in your fridge.", url: "https://example.com/recipes" },
];

const list = document.getElementById("projects");

for (const project of projects) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = project.url;
  link.textContent = project.name;
  const text = document.createElement("p");
  text.textContent = project.text;
  item.append(link, text);
  list.append(item);
}
`,
  },
  {
    path: "README.md",
    content: `# Portfolio

My personal portfolio: one HTML page, a stylesheet and a script that renders the project list.

Open \`index.html\` in a browser, or run \`npx serve .\`.
`,
  },
];

export const demoProjects: DemoProjectSpec[] = [
  {
    key: "taskBoard",
    owner: "demo",
    name: "Task Board",
    description: "A small team task board: add, tick off and clear tasks.",
    functionality: "Todo list with a clear-completed action, persisted later to an API.",
    templateSlug: "react-vite",
    architectureType: "monolithic",
    createdDaysAgo: 58,
    createdTime: "09:15",
    limits: { memoryMb: 1024, cpuPercent: 100, storageMb: 5120 },
  },
  {
    key: "notesApi",
    owner: "demo",
    name: "Notes API",
    description: "The REST backend for the task board's notes.",
    functionality: "CRUD for notes with search; in memory until the database lands.",
    templateSlug: "express-api",
    architectureType: "monolithic",
    createdDaysAgo: 44,
    createdTime: "14:03",
    limits: { memoryMb: 512, cpuPercent: 50, storageMb: 2048 },
  },
  {
    key: "portfolio",
    owner: "demo",
    name: "Portfolio",
    description: "A one-page personal portfolio.",
    functionality: "Lists selected projects; dark mode.",
    files: portfolioFiles,
    createdByClaude: {
      prompt:
        "Create a simple one-page portfolio for me (Alex Rivera, frontend developer) with a list of three projects. No frameworks.",
      response:
        "I created a static portfolio with four files: index.html (the page), style.css (a warm accent colour and a readable column), main.js (renders your projects from one array so adding one is a one-line change) and a README. Open index.html to see it.",
    },
    techStack: { frontend: ["html", "css", "javascript"], language: "javascript" },
    architectureType: "monolithic",
    createdDaysAgo: 21,
    createdTime: "20:10",
    limits: { memoryMb: 256, cpuPercent: 25, storageMb: 1024 },
  },
  {
    key: "changelog",
    owner: "admin",
    name: "Vaporform Changelog",
    description: "The public changelog page of this Vaporform install.",
    functionality: "Static release notes.",
    templateSlug: "static-site",
    architectureType: "monolithic",
    createdDaysAgo: 59,
    createdTime: "08:31",
    limits: { memoryMb: 256, cpuPercent: 25, storageMb: 512 },
  },
];

/** The projects' history after creation, oldest first. Every `find` must occur in the file at that point. */
export const demoEdits: EditSpec[] = [
  {
    project: "changelog",
    daysAgo: 50,
    time: "10:12",
    by: "owner",
    changes: [
      {
        path: "index.html",
        replace: [
          ["<title>My Site</title>", "<title>Vaporform Changelog</title>"],
          ["<h1>Hello, I build things for the web.</h1>", "<h1>What changed in Vaporform</h1>"],
        ],
      },
    ],
  },
  {
    project: "taskBoard",
    daysAgo: 55,
    time: "10:20",
    by: "owner",
    changes: [{ path: "src/App.tsx", replace: [["<h1>Todos</h1>", "<h1>Task Board</h1>"]] }],
  },
  {
    project: "taskBoard",
    daysAgo: 52,
    time: "15:37",
    by: "claude",
    model: "claude-sonnet-4-5",
    prompt: "Add a 'Clear completed' button that removes every finished task.",
    summary:
      "I added a `clearDone` action to the reducer in src/lib/todos.ts and a 'Clear completed' button under the list in src/App.tsx, disabled while nothing is done.",
    changes: [
      {
        path: "src/lib/todos.ts",
        replace: [
          ['  | { type: "remove"; id: string };', '  | { type: "remove"; id: string }\n  | { type: "clearDone" };'],
          [
            "      return todos.filter((todo) => todo.id !== action.id);\n",
            '      return todos.filter((todo) => todo.id !== action.id);\n    case "clearDone":\n      return todos.filter((todo) => !todo.done);\n',
          ],
        ],
      },
      {
        path: "src/App.tsx",
        replace: [
          [
            '      <p className="summary">{remaining(todos)} left</p>',
            '      <p className="summary">\n        {remaining(todos)} left{" "}\n        <button\n          type="button"\n          onClick={() => dispatch({ type: "clearDone" })}\n          disabled={remaining(todos) === todos.length}\n        >\n          Clear completed\n        </button>\n      </p>',
          ],
        ],
      },
    ],
  },
  {
    project: "taskBoard",
    daysAgo: 40,
    time: "11:48",
    by: "claude",
    model: "claude-haiku-4-5",
    prompt: "Make the accent colour teal instead of indigo.",
    summary: "Changed the button colour in src/index.css from indigo (#4f46e5) to teal (#0d9488).",
    changes: [{ path: "src/index.css", replace: [["background: #4f46e5;", "background: #0d9488;"]] }],
  },
  {
    project: "notesApi",
    daysAgo: 41,
    time: "13:15",
    by: "claude",
    model: "claude-sonnet-4-5",
    prompt: "Let GET /api/notes take a ?q= parameter that filters notes by title or body, case-insensitively.",
    summary:
      "GET /api/notes now accepts `q`: notes whose title or body contains it (case-insensitive) are returned. Without `q` the list is unchanged.",
    changes: [
      {
        path: "src/routes/notes.js",
        replace: [
          [
            '  router.get("/", (_req, res) => {\n    res.json([...notes.values()]);\n  });',
            '  router.get("/", (req, res) => {\n    const q = typeof req.query.q === "string" ? req.query.q.trim().toLowerCase() : "";\n    const all = [...notes.values()];\n    res.json(\n      q ? all.filter((n) => n.title.toLowerCase().includes(q) || n.body.toLowerCase().includes(q)) : all,\n    );\n  });',
          ],
        ],
      },
    ],
  },
  {
    project: "taskBoard",
    daysAgo: 30,
    time: "17:05",
    by: "owner",
    changes: [
      {
        path: "README.md",
        append: "\n## Deploying\n\n`npm run build` writes static files to `dist/`; any static host can serve them.\n",
      },
    ],
  },
  {
    project: "notesApi",
    daysAgo: 33,
    time: "09:40",
    by: "owner",
    changes: [
      {
        path: "README.md",
        replace: [
          [
            "| GET | `/api/notes` | list notes |",
            "| GET | `/api/notes?q=text` | list notes, optionally those containing `text` |",
          ],
        ],
      },
    ],
  },
  {
    project: "changelog",
    daysAgo: 25,
    time: "14:22",
    by: "claude",
    model: "claude-opus-4-1",
    prompt: "Give the cards a subtle hover lift and make the accent colour match our brand purple (#7c3aed).",
    summary: "Set --accent to #7c3aed in both themes and added a short transform/box-shadow transition on .card hover.",
    changes: [
      {
        path: "styles.css",
        replace: [
          ["  --accent: #2563eb;", "  --accent: #7c3aed;"],
          ["  --accent: #60a5fa;", "  --accent: #a78bfa;"],
          [
            ".card h3 {",
            ".card {\n  transition: transform 150ms ease, box-shadow 150ms ease;\n}\n\n.card:hover {\n  transform: translateY(-2px);\n  box-shadow: 0 6px 20px rgb(0 0 0 / 0.08);\n}\n\n.card h3 {",
          ],
        ],
      },
    ],
  },
  {
    project: "notesApi",
    daysAgo: 20,
    time: "16:18",
    by: "claude",
    model: "claude-sonnet-4-5",
    prompt: "Add a test for the search parameter.",
    summary: "Added a test that creates two notes and checks that ?q= returns only the matching one, ignoring case.",
    changes: [
      {
        path: "test/notes.test.js",
        replace: [
          [
            '  it("rejects a note without a title", async () => {',
            '  it("filters notes with ?q=", async () => {\n    await request("/api/notes", { method: "POST", body: { title: "Groceries", body: "milk, eggs" } });\n    await request("/api/notes", { method: "POST", body: { title: "Ideas", body: "a board game" } });\n    const res = await request("/api/notes?q=MILK");\n    const found = await res.json();\n    assert.deepEqual(found.map((n) => n.title), ["Groceries"]);\n  });\n\n  it("rejects a note without a title", async () => {',
          ],
        ],
      },
    ],
  },
  {
    project: "portfolio",
    daysAgo: 19,
    time: "08:35",
    by: "owner",
    changes: [
      {
        path: "index.html",
        replace: [
          [
            "Frontend developer. I like fast pages and accessible forms.",
            "Frontend developer in Lisbon. I like fast pages and accessible forms.",
          ],
        ],
      },
    ],
  },
  {
    project: "portfolio",
    daysAgo: 15,
    time: "21:12",
    by: "claude",
    model: "claude-haiku-4-5",
    prompt: "Add a dark mode that follows the system setting.",
    summary:
      "Added a prefers-color-scheme: dark block to style.css that swaps the background, text and tagline colours.",
    changes: [
      {
        path: "style.css",
        append:
          "\n@media (prefers-color-scheme: dark) {\n  :root {\n    --bg: #1c1917;\n    --fg: #f5f5f4;\n  }\n\n  .tagline {\n    color: #a8a29e;\n  }\n}\n",
      },
    ],
  },
  {
    project: "taskBoard",
    daysAgo: 12,
    time: "14:50",
    by: "claude",
    model: "claude-sonnet-4-5",
    prompt: "Write a test for clearDone.",
    summary: "Added a reducer test: clearDone keeps only the tasks that are not done.",
    changes: [
      {
        path: "src/lib/todos.test.ts",
        replace: [
          [
            '  it("removes a todo", () => {',
            '  it("clears the done todos", () => {\n    const next = todosReducer([...start, { id: "b", title: "Done", done: true }], { type: "clearDone" });\n    expect(next).toEqual(start);\n  });\n\n  it("removes a todo", () => {',
          ],
        ],
      },
    ],
  },
  {
    project: "portfolio",
    daysAgo: 9,
    time: "21:55",
    by: "owner",
    changes: [
      {
        path: "main.js",
        replace: [
          [
            '  { name: "Recipe Box", text: "Search 2,000 recipes by what is in your fridge.", url: "https://example.com/recipes" },\n',
            '  { name: "Recipe Box", text: "Search 2,000 recipes by what is in your fridge.", url: "https://example.com/recipes" },\n  { name: "Pocket Notes", text: "An installable notes app that works offline.", url: "https://example.com/notes" },\n',
          ],
        ],
      },
    ],
  },
  {
    project: "notesApi",
    daysAgo: 6,
    time: "15:20",
    by: "owner",
    changes: [
      {
        path: "src/app.js",
        replace: [
          [
            '  app.use(express.json({ limit: "100kb" }));',
            '  app.use(express.json({ limit: "100kb" }));\n  app.use(requestLogger);',
          ],
        ],
      },
    ],
  },
  {
    project: "taskBoard",
    daysAgo: 3,
    time: "09:30",
    by: "owner",
    changes: [
      {
        path: "src/lib/todos.ts",
        replace: [
          [
            '  { id: "2", title: "Change something and watch it reload", done: false },',
            '  { id: "2", title: "Plan the sprint", done: false },\n  { id: "3", title: "Review the notes API", done: false },',
          ],
        ],
      },
    ],
  },
];

/** Interactions that belong to the story rather than to the random background traffic. */
export const scriptedInteractions: {
  project: ProjectKey;
  daysAgo: number;
  time: string;
  type: "chat" | "debug";
  model: ModelName;
  prompt: string;
  response: string;
  files: string[];
}[] = [
  {
    project: "notesApi",
    daysAgo: 6,
    time: "15:41",
    type: "debug",
    model: "claude-sonnet-4-5",
    prompt:
      "The API container keeps crashing since my last change. The log says ReferenceError: requestLogger is not defined.",
    response:
      "src/app.js now calls `app.use(requestLogger)`, but nothing defines or imports `requestLogger`, so the module throws while loading and the container exits with code 1. Either remove that line or add a middleware, e.g. `function requestLogger(req, _res, next) { console.log(req.method, req.url); next(); }` above `createApp`.",
    files: ["src/app.js"],
  },
  {
    project: "taskBoard",
    daysAgo: 2,
    time: "10:12",
    type: "chat",
    model: "claude-opus-4-1",
    prompt: "How would I persist tasks to the Notes API instead of keeping them in memory?",
    response:
      "Load the list once with `fetch('/api/notes')` in an effect, dispatch a `loaded` action with the result, and send each add/toggle/remove to the API before (optimistically) dispatching it locally, rolling back on a failed response. Keep the reducer pure: the effects live in App.tsx.",
    files: ["src/App.tsx", "src/lib/todos.ts"],
  },
];

/** Conversation text for the generated interactions; `{file}` is replaced with a file of the project. */
export const messagePools: Record<"chat" | "file_modification" | "debug", [prompt: string, response: string][]> = {
  chat: [
    [
      "What does {file} do?",
      "{file} is where this part of the app lives. In short: it sets up its state, exports one function the rest of the code calls, and keeps side effects at the edges so it is easy to test.",
    ],
    [
      "How should I structure state in this project as it grows?",
      "Keep state next to the component that owns it and lift it only when two siblings need it. For anything shared across pages, a small reducer plus context is enough before reaching for a library.",
    ],
    [
      "Is there anything risky in {file}?",
      "Nothing serious. Two things to watch: input is trusted without a length limit, and errors are swallowed in one place. I'd validate at the boundary and let unexpected errors surface.",
    ],
    [
      "Explain the difference between the dev and build scripts.",
      "`dev` starts a server that rebuilds on change and keeps everything in memory; `build` writes optimised files once for production. Only the build output should be deployed.",
    ],
    [
      "Which dependencies could I drop?",
      "All of the runtime dependencies are used. Among the dev dependencies, nothing is redundant either; the setup is already minimal.",
    ],
    [
      "Can you review {file} for readability?",
      "It reads well. I'd rename two short variables, split the longest function into a helper that computes and one that renders, and delete a comment that repeats the code.",
    ],
    [
      "How do I add environment variables to this project?",
      "Add them in the project's Settings under Environment variables: values are encrypted at rest and never shown again in the browser. Read them with process.env in server code only.",
    ],
    [
      "What's a good next feature to build?",
      "Persistence: the data lives in memory today. A small database table and two endpoints would make the project survive a restart, which is what users will notice first.",
    ],
  ],
  file_modification: [
    [
      "Rename the variables in {file} to be more descriptive.",
      "Renamed the short variables in {file} to names that say what they hold; behaviour is unchanged and the tests still pass.",
    ],
    [
      "Add JSDoc comments to the exported functions in {file}.",
      "Added a one-line JSDoc to each exported function in {file}, describing the contract rather than the implementation.",
    ],
    [
      "Extract the validation in {file} into its own function.",
      "Moved the checks into a `validate` function at the top of {file} and called it from both handlers.",
    ],
    [
      "Fix the lint warnings in {file}.",
      "Fixed the three warnings in {file}: an unused import, a missing dependency in a hook and a `let` that is never reassigned.",
    ],
    [
      "Make {file} handle empty input gracefully.",
      "{file} now returns early on empty input instead of throwing, and shows a short message to the user.",
    ],
    [
      "Convert the callbacks in {file} to async/await.",
      "Rewrote the promise chains in {file} with async/await and one try/catch around the request.",
    ],
  ],
  debug: [
    [
      "The page is blank after my last change. Why?",
      "The console shows `Cannot read properties of undefined` from {file}: the data is used before it has loaded. Render a loading state until it is there.",
    ],
    [
      "npm test fails with a timeout.",
      "The test waits for a server that never starts because the port is taken. Listen on port 0 in tests so the OS picks a free one.",
    ],
    [
      "Why is the container restarting in a loop?",
      "The start command exits with code 1: {file} references a variable that is not defined, so the process crashes at startup and the restart policy retries it.",
    ],
    [
      "The styles don't apply in production.",
      "The stylesheet path is absolute in {file}, so it breaks under a sub-path. Make it relative or set the base path in the build config.",
    ],
    [
      "I get a CORS error calling the API.",
      "The API does not send Access-Control-Allow-Origin for the preview's origin. Allow that origin on the API, or call it through the same origin.",
    ],
  ],
};

/** Failures: `billed` ones consumed tokens before failing. */
export const failureModes = [
  { message: "overloaded_error: Overloaded", billed: false, timeMs: 900 },
  { message: "Request timed out after 120000 ms", billed: false, timeMs: 120_000 },
  {
    message:
      "rate_limit_error: This request would exceed the rate limit for your organization's output tokens per minute",
    billed: false,
    timeMs: 350,
  },
  { message: "Command failed: npm test (exit code 1)", billed: true, timeMs: 0 },
  { message: "Edit did not apply: {file} changed since it was read", billed: true, timeMs: 0 },
] as const;
