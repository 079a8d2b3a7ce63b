import path from "node:path";
import { z } from "zod";

/**
 * The only reader of `process.env`. Everything else imports `env`.
 * Validated once at import; a bad value stops the process with one clear message per variable.
 */
const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === "postgresql:" || url.protocol === "postgres:") &&
        url.hostname !== "" &&
        url.pathname.length > 1
      );
    } catch {
      return false;
    }
  }, "must be a URL like postgresql://user:password@host:5432/database");

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** Unset: an embedded PostgreSQL is started with its data under `${VAPORFORM_DATA_DIR}/postgres`. */
  DATABASE_URL: z
    .string()
    .optional()
    .transform((value) => (value?.trim() === "" ? undefined : value))
    .pipe(postgresUrl.optional()),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Where local state lives: the embedded database, generated secrets. */
  VAPORFORM_DATA_DIR: z
    .string()
    .default(".data")
    .transform((value) => path.resolve(value)),
  /** 32 bytes, base64: encrypts integration keys and env var values at rest. Generated into the data dir when unset. */
  ENCRYPTION_KEY: optionalString.pipe(
    z
      .string()
      .refine((value) => Buffer.from(value, "base64").length === 32, "must be 32 bytes encoded as base64")
      .optional(),
  ),
  /**
   * Key rotation: `<version>:<32 bytes base64>` entries, comma-separated (e.g. `2:...,1:...`). The highest version
   * encrypts new secrets; every listed version still decrypts. ENCRYPTION_KEY (or the generated key file) is version
   * 1. `npm run keys:rotate` re-encrypts everything under the highest version, after which older ones may go.
   */
  ENCRYPTION_KEYS: optionalString.pipe(
    z
      .string()
      .transform((value, ctx) => {
        const keys = new Map<number, string>();
        for (const entry of value.split(",").map((part) => part.trim())) {
          const match = /^(\d{1,5}):([A-Za-z0-9+/]+={0,2})$/.exec(entry);
          const version = Number(match?.[1]);
          if (!match || version < 1 || version > 32767 || Buffer.from(match[2] ?? "", "base64").length !== 32) {
            ctx.addIssue({ code: "custom", message: "each entry: <version 1-32767>:<32 bytes as base64>" });
            return z.NEVER;
          }
          if (keys.has(version)) {
            ctx.addIssue({ code: "custom", message: `version ${version} is listed twice` });
            return z.NEVER;
          }
          keys.set(version, match[2] ?? "");
        }
        return keys;
      })
      .optional(),
  ),
  /**
   * Outbound requests to user-given URLs (integration tests, webhooks, Git imports) refuse loopback, private,
   * link-local and metadata addresses; `true` allows them (tests, or an install whose integrations live on its LAN).
   */
  OUTBOUND_ALLOW_PRIVATE: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((value) => value === "true" || value === "1"),
  /**
   * Live previews: each started project is served on a port of its own from this range (`first-last`), at
   * `http://PREVIEW_HOST:<port>/` (a separate origin from the app, so previews never share its storage).
   */
  PREVIEW_PORT_RANGE: z
    .string()
    .trim()
    .default("4100-4199")
    .transform((value, ctx) => {
      const match = /^(\d{1,5})-(\d{1,5})$/.exec(value);
      const first = Number(match?.[1]);
      const last = Number(match?.[2]);
      if (!match || first < 1024 || last > 65535 || first > last) {
        ctx.addIssue({ code: "custom", message: "must be a range like 4100-4199 (ports 1024-65535, first <= last)" });
        return z.NEVER;
      }
      return { first, last };
    }),
  /** The host name in a preview's URL (what the browser reaches the preview ports by). */
  PREVIEW_HOST: z
    .string()
    .trim()
    .default("localhost")
    .pipe(z.string().regex(/^[A-Za-z0-9.-]{1,253}$|^\[[0-9A-Fa-f:.]+\]$/, "must be a host name or an IP address")),
  /** The address preview listeners bind to; unset: every interface, like the app itself. */
  PREVIEW_BIND: optionalString,
  /**
   * The registry previews install npm dependencies from (`npm install --ignore-scripts`); unset: npm's own
   * configured registry (its `registry` setting, https://registry.npmjs.org/ by default).
   */
  PREVIEW_NPM_REGISTRY: optionalString.pipe(z.url().optional()),
  /** One dependency install of a preview: stopped (and reported) after this long. */
  PREVIEW_INSTALL_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(180_000),
  /** One install's node_modules: stopped and refused past this size. */
  PREVIEW_DEPS_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .max(64 * 1024 * 1024 * 1024)
    .default(512 * 1024 * 1024),
  /** Installed dependency sets kept in `VAPORFORM_DATA_DIR/preview-deps` (the most recently used); older ones go. */
  PREVIEW_DEPS_KEEP: z.coerce.number().int().min(1).max(1000).default(20),
  /** Unset: the activity log is kept forever. Otherwise whole months older than this are dropped daily. */
  ACTIVITY_RETENTION_MONTHS: z.coerce.number().int().min(1).max(1200).optional(),
  NEXTAUTH_URL: optionalString.pipe(z.url().optional()),
  NEXTAUTH_SECRET: optionalString,
  /**
   * The seeded admin's e-mail, used when the seed creates it. The default is on a reserved domain (RFC 2606) that
   * nobody can own, so nobody can receive its mail or prove owning it elsewhere (GitHub).
   */
  SEED_ADMIN_EMAIL: optionalString
    .pipe(z.email("must be an e-mail address, like admin@example.com").max(254).optional())
    .transform((value) => value?.toLowerCase() ?? "admin@vaporform.invalid"),
  /** Passwords of the demo accounts, used when the seed first creates them. */
  SEED_ADMIN_PASSWORD: optionalString.pipe(z.string().min(8).max(128).optional()),
  SEED_DEMO_PASSWORD: optionalString.pipe(z.string().min(8).max(128).optional()),
  /** SMTP server for outgoing mail, e.g. smtp://user:pass@mail.example.com:587. Unset: mail lands in the outbox table. */
  SMTP_URL: optionalString.pipe(z.url().optional()),
  /**
   * The development mailbox (/mailbox): without real mail, each signed-in user reads the mail sent to their own
   * address there, so sign-up works on a fresh install (admins read the whole outbox either way). `auto`: open while
   * SMTP_URL is unset; `off`: only administrators read the outbox.
   */
  DEV_MAILBOX: z.enum(["auto", "off"]).default("auto"),
  MAIL_FROM: z.string().trim().default("Vaporform <no-reply@vaporform.local>"),
  /** GitHub OAuth sign-in is offered when both are set. */
  GITHUB_ID: optionalString,
  GITHUB_SECRET: optionalString,
  /**
   * Behind a reverse proxy you control: take the client's address from the last X-Forwarded-For entry (the one
   * your proxy added) instead of the socket. Never set it when clients reach the app directly: they could forge it.
   */
  TRUST_PROXY: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((value) => value === "true" || value === "1"),
  /** Largest file the IDE saves or uploads, in bytes (binary files: the decoded size). */
  FILE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(5 * 1024 * 1024),
  /** Zip import limits: the archive, each inflated file, all inflated files together, and the number of files. */
  IMPORT_MAX_ARCHIVE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(50 * 1024 * 1024),
  IMPORT_MAX_FILE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(5 * 1024 * 1024),
  IMPORT_MAX_TOTAL_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(4 * 1024 * 1024 * 1024)
    .default(50 * 1024 * 1024),
  IMPORT_MAX_FILES: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** A published template (each version) holds at most this many files and bytes. */
  TEMPLATE_MAX_FILES: z.coerce.number().int().min(1).max(100_000).default(500),
  TEMPLATE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(512 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  /**
   * The prior weight m of "top rated": a template's score is (m·C + sum of its ratings) / (m + its count), C the
   * mean of all ratings, so a few votes barely move a template away from the mean and many votes decide.
   */
  TEMPLATE_RATING_PRIOR_WEIGHT: z.coerce.number().min(0).max(100_000).default(10),
  /**
   * Serves the pages that exist only for benchmarks (`/bench/...`, e.g. the bare Monaco page of `npm run
   * bench:typing`); off, they answer 404. Read at server start; never set it on an install people use.
   */
  VAPORFORM_BENCH_PAGES: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((value) => value === "true" || value === "1"),
  /** Set by scripts/server.ts for the process it serves: proves the client-address header came from it. */
  VAPORFORM_CLIENT_IP_TOKEN: optionalString,
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: optionalString.pipe(z.url().optional()),
  /** The models the assistant offers, comma-separated; the first is the default. */
  ANTHROPIC_MODELS: z
    .string()
    .trim()
    .default("claude-sonnet-5-5,claude-opus-5-5,claude-haiku-5-5")
    .transform((value) => [...new Set(value.split(",").map((model) => model.trim()))].filter((model) => model !== ""))
    .pipe(
      z
        .array(
          z.string().regex(/^[A-Za-z0-9._:@-]{1,100}$/, "each model id: letters, digits and . _ : @ -, at most 100"),
        )
        .min(1, "name at least one model"),
    ),
  /** The most model calls one assistant turn may make (its tool loop stops there, and says so). */
  ASSISTANT_MAX_MODEL_CALLS: z.coerce.number().int().min(1).max(200).default(25),
  /** The most assistant turns one user may have running at once (a further send is refused with 429). */
  ASSISTANT_MAX_RUNNING_PER_USER: z.coerce.number().int().min(1).max(100).default(2),
  /** The most assistant turns running at once on the whole installation (all users, all instances). */
  ASSISTANT_MAX_RUNNING: z.coerce.number().int().min(1).max(10_000).default(20),
});

export type Env = z.infer<typeof envSchema>;

/** Parses an environment; throws one Error listing every invalid variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment variables:\n${lines.join("\n")}`);
  }
  return result.data;
}

export const env: Env = parseEnv(process.env);

/** Whether signed-in users read their own mail at /mailbox (see DEV_MAILBOX). */
export const devMailboxOpen = !env.SMTP_URL && env.DEV_MAILBOX === "auto";

/**
 * The environment of an npm child process (preview installs): what npm needs from the machine (PATH, HOME, proxies,
 * CA certificates, npm's own `npm_config_*` settings), never the app's secrets (database URL, keys).
 */
export function npmChildEnvironment(): Record<string, string | undefined> {
  const kept: Record<string, string | undefined> = {};
  const names = /^(?:PATH|HOME|USER|LANG|TMPDIR|NODE_EXTRA_CA_CERTS|(?:HTTPS?|NO)_PROXY|npm_config_.+)$/i;
  for (const [name, value] of Object.entries(process.env)) if (names.test(name)) kept[name] = value;
  return kept;
}
