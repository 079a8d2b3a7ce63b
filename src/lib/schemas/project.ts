/** Inputs of the project procedures. Client-safe. */
import { z } from "zod";
import { ZGitBranch } from "~/lib/git/branch";

/** Letters and digits of any script, spaces, and . _ - ( ); NFC so look-alike encodings collide. */
export const ZProjectName = z
  .string()
  .trim()
  .normalize("NFC")
  .min(1, "Enter a project name.")
  .max(100, "Use a project name of at most 100 characters.")
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._()-]*$/u,
    "Use letters, digits, spaces and . _ - ( ), starting with a letter or digit.",
  );

/**
 * A project name proposed from a template's name: project names allow letters, digits, spaces and . _ - ( ), so
 * "React + Vite" becomes "React Vite".
 */
export function projectNameFrom(templateName: string): string {
  const cleaned = templateName
    .normalize("NFC")
    .replace(/[^\p{L}\p{N} ._()-]/gu, " ")
    .replace(/\s+/g, " ")
    .replace(/^[^\p{L}\p{N}]+/u, "")
    .trim()
    .slice(0, 100)
    .trim();
  return cleaned || "My project";
}

export const ZProjectDescription = z
  .string()
  .trim()
  .max(2000, "Use a description of at most 2,000 characters.")
  .default("");

/** `projects.architecture_type`; the database CHECK (migration 20261206130000_project_settings) names the same. */
export const ARCHITECTURE_TYPES = ["monolithic", "pwa", "microservices"] as const;
export const ARCHITECTURE_LABELS: Record<(typeof ARCHITECTURE_TYPES)[number], string> = {
  monolithic: "Monolithic",
  pwa: "Progressive web app (PWA)",
  microservices: "Microservices",
};
export const ZArchitectureType = z.enum(ARCHITECTURE_TYPES, "Choose pwa, microservices or monolithic.");

/** Technologies suggested in the picker; anything else may be typed. */
export const TECH_STACK_SUGGESTIONS = [
  "TypeScript",
  "JavaScript",
  "React",
  "Next.js",
  "Vue",
  "Svelte",
  "Vite",
  "Tailwind CSS",
  "Node.js",
  "Express",
  "Fastify",
  "PostgreSQL",
  "SQLite",
  "Prisma",
  "Python",
  "Go",
  "Rust",
] as const;
export const TECH_STACK_MAX_ITEMS = 30;
/** `projects.tech_stack` as written here: a list of technology names (templates may have stored an object). */
export const ZTechStack = z
  .array(
    z
      .string()
      .trim()
      .min(1, "A technology needs a name.")
      .max(50, "Use technology names of at most 50 characters.")
      .regex(/^[^\p{Cc}]+$/u, "Technology names cannot contain control characters."),
  )
  .max(TECH_STACK_MAX_ITEMS, `Pick at most ${TECH_STACK_MAX_ITEMS} technologies.`)
  .transform((items) =>
    items.filter((item, i) => items.findIndex((other) => other.toLowerCase() === item.toLowerCase()) === i),
  );

export const ZProjectFunctionality = z
  .string()
  .trim()
  .max(5000, "Describe what it does in at most 5,000 characters.")
  .default("");

export const ZCreateProjectInput = z.object({
  name: ZProjectName,
  description: ZProjectDescription,
  functionality: ZProjectFunctionality,
  architectureType: ZArchitectureType.default("monolithic"),
  techStack: ZTechStack.default([]),
  /** Start from this template's files (a public template, or one of yours). */
  templateId: z.uuid().optional(),
});
export type TCreateProjectInput = z.input<typeof ZCreateProjectInput>;

export const ZGetProjectInput = z.object({ projectId: z.uuid() });
export type TGetProjectInput = z.infer<typeof ZGetProjectInput>;

// ---------------------------------------------------------------------------------------------------------------
// The projects page
// ---------------------------------------------------------------------------------------------------------------

export const PROJECT_SORTS = ["activity", "name", "size", "created"] as const;
export const PROJECT_STATUSES = ["creating", "running", "stopped", "error", "archived"] as const;
/** Projects per page: a user with 2,000 projects gets them a page at a time. */
export const PROJECT_PAGE_SIZE = 24;

export const ZListProjectsInput = z
  .object({
    /** Words of the name or description. */
    search: z.string().trim().max(100, "Search with at most 100 characters.").default(""),
    sort: z.enum(PROJECT_SORTS).default("activity"),
    status: z.enum(PROJECT_STATUSES).optional(),
    /** Archived projects are hidden unless asked for (or their status is the filter). */
    includeArchived: z.boolean().default(false),
    /** Where the next page starts (the `nextCursor` of the previous page). */
    cursor: z.number().int().min(0).max(1_000_000).optional(),
    limit: z.number().int().min(1).max(100).default(PROJECT_PAGE_SIZE),
  })
  .default({ search: "", sort: "activity", includeArchived: false, limit: PROJECT_PAGE_SIZE });
export type TListProjectsInput = z.input<typeof ZListProjectsInput>;

// ---------------------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------------------

/**
 * The database's CHECK bounds on the resource limits (migrations 20261126000000_init and
 * 20261206130000_project_settings), mirrored by the form and by the zod below; test/projects/settings.test.ts
 * proves they agree at each bound.
 */
export const PROJECT_LIMITS = {
  memoryLimitMb: { min: 64, max: 65536, label: "Memory (MiB)" },
  cpuLimitPercent: { min: 1, max: 100, label: "CPU (%)" },
  storageLimitMb: { min: 1, max: 1048576, label: "Storage (MiB)" },
} as const;

function limit(key: keyof typeof PROJECT_LIMITS) {
  const { min, max, label } = PROJECT_LIMITS[key];
  const range = `${label} must be a whole number from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}.`;
  return z.number(range).int(range).min(min, range).max(max, range);
}

export const REPOSITORY_TYPES = ["new", "existing", "git", "github", "gitlab", "bitbucket"] as const;
export const REPOSITORY_LABELS: Record<(typeof REPOSITORY_TYPES)[number], string> = {
  new: "None (new project)",
  existing: "Existing (imported from Git)",
  git: "Git",
  github: "GitHub",
  gitlab: "GitLab",
  bitbucket: "Bitbucket",
};

export const ZRepositoryUrl = z
  .string()
  .trim()
  .max(2000, "Use a repository URL of at most 2,000 characters.")
  .refine((value) => {
    if (value === "") return true;
    try {
      const url = new URL(value);
      return (
        (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "" && /^https?:\/\//i.test(value)
      );
    } catch {
      return false;
    }
  }, "Use an http:// or https:// repository URL.")
  // A URL is stored and logged in plain text (settings, activity): a token never goes in one.
  .refine((value) => {
    if (value === "") return true;
    try {
      const url = new URL(value);
      return url.username === "" && url.password === "";
    } catch {
      return true;
    }
  }, "Leave the username and token out of the URL: a token is kept encrypted in the project's git integration.");

/** The project's branch: the one rule of src/lib/git/branch.ts. */
export const ZRepositoryBranch = ZGitBranch;

export const ZUpdateProjectInput = z.object({
  projectId: z.uuid(),
  name: ZProjectName.optional(),
  description: ZProjectDescription.optional(),
  functionality: ZProjectFunctionality.optional(),
  architectureType: ZArchitectureType.optional(),
  techStack: ZTechStack.optional(),
  memoryLimitMb: limit("memoryLimitMb").optional(),
  cpuLimitPercent: limit("cpuLimitPercent").optional(),
  storageLimitMb: limit("storageLimitMb").optional(),
  repositoryType: z.enum(REPOSITORY_TYPES, "Choose a repository type from the list.").optional(),
  /** "" clears it. */
  repositoryUrl: ZRepositoryUrl.optional(),
  repositoryBranch: ZRepositoryBranch.optional(),
});
export type TUpdateProjectInput = z.input<typeof ZUpdateProjectInput>;

export const ENV_VAR_MAX_COUNT = 100;
export const ENV_VAR_NAME_MAX = 128;
export const ENV_VAR_VALUE_MAX = 32_768;

export const ZEnvVarName = z
  .string()
  .trim()
  .min(1, "Enter a variable name.")
  .max(ENV_VAR_NAME_MAX, `Use a variable name of at most ${ENV_VAR_NAME_MAX} characters.`)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "Use letters, digits and _ only, not starting with a digit (like API_KEY).");

export const ZSetEnvVarInput = z.object({
  projectId: z.uuid(),
  name: ZEnvVarName,
  value: z
    .string()
    .max(ENV_VAR_VALUE_MAX, `Use a value of at most ${ENV_VAR_VALUE_MAX.toLocaleString("en-US")} characters.`),
});
export type TSetEnvVarInput = z.input<typeof ZSetEnvVarInput>;

export const ZDeleteEnvVarInput = z.object({ projectId: z.uuid(), name: ZEnvVarName });
export const ZProjectIdInput = z.object({ projectId: z.uuid() });

export const ZDeleteProjectInput = z.object({
  projectId: z.uuid(),
  /** The project's name, typed by the user to confirm. */
  confirmName: z.string().max(255),
});
export type TDeleteProjectInput = z.input<typeof ZDeleteProjectInput>;

/** What every refused write of an archived project says (the database raises the same words, SQLSTATE VF423). */
export const ARCHIVED_MESSAGE = "This project is archived; unarchive it to make changes.";
/** `project.start`, `project.stop`, `project.preview`: the live preview of one of your projects. */
export const ZProjectPreviewInput = z.object({ projectId: z.uuid() });
export type TProjectPreviewInput = z.infer<typeof ZProjectPreviewInput>;
