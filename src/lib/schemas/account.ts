/**
 * Inputs of sign-up, sign-in, e-mail verification, password reset, profile, preferences and user administration.
 * Client-safe (zod only): the forms validate with the same rules the server enforces.
 */
import { z } from "zod";
import { COMMON_PASSWORDS } from "~/lib/common-passwords";

// ---------------------------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------------------------

/** RFC 5321 limits: 254 characters in all, 64 before the "@". */
export const ZEmail = z
  .string()
  .trim()
  .min(1, "Enter your e-mail address.")
  .max(254, "Use an e-mail address of at most 254 characters.")
  .pipe(z.email("Enter a valid e-mail address, like name@example.com."))
  .refine((value) => value.indexOf("@") <= 64, "The part before the @ may have at most 64 characters.");

/**
 * Names other users could mistake for the site itself or for a route. The seed may still create `admin`; new
 * sign-ups and generated (GitHub) usernames may not.
 */
export const RESERVED_USERNAMES: ReadonlySet<string> = new Set([
  "admin",
  "administrator",
  "root",
  "system",
  "sysadmin",
  "superuser",
  "support",
  "help",
  "staff",
  "moderator",
  "owner",
  "official",
  "security",
  "abuse",
  "postmaster",
  "hostmaster",
  "webmaster",
  "mail",
  "noreply",
  "no-reply",
  "info",
  "api",
  "app",
  "www",
  "auth",
  "login",
  "logout",
  "signin",
  "sign-in",
  "signout",
  "signup",
  "sign-up",
  "register",
  "account",
  "accounts",
  "settings",
  "profile",
  "me",
  "user",
  "users",
  "new",
  "null",
  "undefined",
  "anonymous",
  "guest",
  "projects",
  "project",
  "templates",
  "template",
  "dashboard",
  "mailbox",
  "verify-email",
  "reset-password",
  "static",
  "assets",
  "public",
  "vaporform",
  "claude",
  "anthropic",
]);

/** Whether `username` (already normalised) may not be taken by a new account. */
export function isReservedUsername(username: string): boolean {
  return RESERVED_USERNAMES.has(username.toLowerCase());
}

/**
 * A username's form: NFKC first (so full-width "ｊｏｈｎ" is "john" and collides with it), lower-cased, then only
 * ASCII, so Cyrillic or Greek look-alikes ("аdmin") are refused rather than stored beside the real name.
 */
export const ZUsername = z
  .string()
  .trim()
  .normalize("NFKC")
  .toLowerCase()
  .min(3, "Use 3 to 30 characters.")
  .max(30, "Use 3 to 30 characters.")
  .regex(/^[a-z0-9_-]*$/, "Use only the letters a–z, digits, “_” and “-”.")
  .regex(/^[^_-]/, "Start with a letter or a digit.");

/** A username for a new account: also not a reserved name. */
export const ZNewUsername = ZUsername.refine(
  (value) => !isReservedUsername(value),
  "This username is reserved; choose another.",
);

/** A new password. Not trimmed: spaces are characters like any other. */
export const ZPassword = z
  .string()
  .min(8, "Use 8 to 128 characters.")
  .max(128, "Use 8 to 128 characters.")
  .refine((value) => !COMMON_PASSWORDS.has(value.toLowerCase()), "This password is too common; choose another.");

/** A password typed to prove who you are: any existing password, bounded so nobody hashes a megabyte. */
const ZCurrentPassword = z.string().min(1, "Enter your password.").max(128, "Use at most 128 characters.");

/** Controls (C0, C1, DEL) and bidirectional overrides, which can make a name display as something else. */
const UNSAFE_NAME_CHARACTERS = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** A person's display name: any script, NFC, no control or direction-override characters. */
export const ZFullName = z
  .string()
  .trim()
  .normalize("NFC")
  .min(1, "Enter your name.")
  .max(100, "Use at most 100 characters.")
  .refine((value) => !UNSAFE_NAME_CHARACTERS.test(value), "Remove control or text-direction characters.");

function isHttpUrl(value: string): boolean {
  if (/\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** An http(s) link (never data: or javascript:), at most 2048 characters. */
export const ZHttpUrl = z
  .string()
  .trim()
  .max(2048, "Use a link of at most 2048 characters.")
  .refine(isHttpUrl, "Use a link starting with http:// or https://.");

/**
 * An optional profile field a form may clear: "" (or only spaces) becomes null, undefined means "leave as is".
 */
function clearable<T extends z.ZodType<string, string>>(schema: T) {
  return z
    .string()
    .transform((value) => (value.trim() === "" ? null : value))
    .pipe(schema.nullable())
    .nullable()
    .optional();
}

// ---------------------------------------------------------------------------------------------------------------
// Sign-up, sign-in, tokens, passwords
// ---------------------------------------------------------------------------------------------------------------

export const ZRegisterInput = z.object({
  email: ZEmail,
  username: ZNewUsername,
  fullName: ZFullName,
  password: ZPassword,
});
export type TRegisterInput = z.infer<typeof ZRegisterInput>;

export const ZSignInInput = z.object({
  /** An e-mail address or a username. */
  email: z.string().trim().min(1, "Enter your e-mail or username.").max(254, "Use at most 254 characters."),
  password: ZCurrentPassword,
});
export type TSignInInput = z.infer<typeof ZSignInInput>;

/** The token of a mailed link: 32 random bytes, base64url. */
export const ZToken = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{43}$/, "This link is invalid. Open the link from the latest e-mail, or ask for a new one.");

export const ZVerifyEmailInput = z.object({ token: ZToken });
export type TVerifyEmailInput = z.infer<typeof ZVerifyEmailInput>;

export const ZRequestPasswordResetInput = z.object({ email: ZEmail });
export type TRequestPasswordResetInput = z.infer<typeof ZRequestPasswordResetInput>;

export const ZResetPasswordInput = z.object({ token: ZToken, password: ZPassword });
export type TResetPasswordInput = z.infer<typeof ZResetPasswordInput>;

export const ZChangePasswordInput = z.object({ currentPassword: ZCurrentPassword, newPassword: ZPassword });
export type TChangePasswordInput = z.infer<typeof ZChangePasswordInput>;

// ---------------------------------------------------------------------------------------------------------------
// Profile and preferences
// ---------------------------------------------------------------------------------------------------------------

/** GitHub's own rule: 1–39 letters, digits or single hyphens, not starting or ending with one. */
const ZGithubUsername = z
  .string()
  .trim()
  .max(39, "GitHub usernames have at most 39 characters.")
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*$/,
    "Enter a GitHub username: letters, digits and single hyphens.",
  );

export const ZUpdateProfileInput = z.object({
  fullName: ZFullName,
  avatarUrl: clearable(ZHttpUrl),
  bio: clearable(z.string().trim().max(1000, "Use at most 1000 characters.")),
  location: clearable(
    z
      .string()
      .trim()
      .max(100, "Use at most 100 characters.")
      .refine((value) => !UNSAFE_NAME_CHARACTERS.test(value), "Remove control or text-direction characters."),
  ),
  websiteUrl: clearable(ZHttpUrl),
  githubUsername: clearable(ZGithubUsername),
});
export type TUpdateProfileInput = z.infer<typeof ZUpdateProfileInput>;

export const THEMES = ["system", "light", "dark"] as const;
export const AUTOSAVE_MODES = ["off", "afterDelay", "onFocusChange"] as const;
/** Claude's file changes: applied at the end of its turn, or kept until the user reviews them. */
export const ASSISTANT_APPLY_MODES = ["auto", "review"] as const;

const preferenceFields = {
  theme: z.enum(THEMES, "Choose system, light or dark."),
  editorFontSize: z.number().int().min(10, "Use a size from 10 to 32.").max(32, "Use a size from 10 to 32."),
  tabSize: z.number().int().min(1, "Use 1 to 8 spaces.").max(8, "Use 1 to 8 spaces."),
  wordWrap: z.boolean(),
  autosave: z.enum(AUTOSAVE_MODES, "Choose off, after a delay or on focus change."),
  autosaveDelayMs: z.number().int().min(200, "Use 200 to 10000 ms.").max(10_000, "Use 200 to 10000 ms."),
  assistantApply: z.enum(ASSISTANT_APPLY_MODES, "Choose to apply Claude's changes at once or to review them."),
};

export const DEFAULT_PREFERENCES = {
  theme: "system",
  editorFontSize: 14,
  tabSize: 2,
  wordWrap: false,
  autosave: "off",
  autosaveDelayMs: 1000,
  assistantApply: "auto",
} as const satisfies { [K in keyof typeof preferenceFields]: z.infer<(typeof preferenceFields)[K]> };

/** A user's preferences, every field filled (missing ones take their default). */
export const ZPreferences = z.object({
  theme: preferenceFields.theme.default(DEFAULT_PREFERENCES.theme),
  editorFontSize: preferenceFields.editorFontSize.default(DEFAULT_PREFERENCES.editorFontSize),
  tabSize: preferenceFields.tabSize.default(DEFAULT_PREFERENCES.tabSize),
  wordWrap: preferenceFields.wordWrap.default(DEFAULT_PREFERENCES.wordWrap),
  autosave: preferenceFields.autosave.default(DEFAULT_PREFERENCES.autosave),
  autosaveDelayMs: preferenceFields.autosaveDelayMs.default(DEFAULT_PREFERENCES.autosaveDelayMs),
  assistantApply: preferenceFields.assistantApply.default(DEFAULT_PREFERENCES.assistantApply),
});
export type TPreferences = z.infer<typeof ZPreferences>;

/** Only the fields to change (built without defaults, so an omitted field is left alone rather than reset). */
export const ZUpdatePreferencesInput = z
  .object(preferenceFields)
  .partial()
  .strict()
  .refine((value) => Object.keys(value).length > 0, "Change at least one preference.");
export type TUpdatePreferencesInput = z.infer<typeof ZUpdatePreferencesInput>;

/**
 * Reads stored preferences leniently: each invalid or missing field takes its default, so one bad value (an old
 * row, a hand edit) never hides the others or breaks a page.
 */
export function readPreferences(stored: unknown): TPreferences {
  const source = stored !== null && typeof stored === "object" ? (stored as Record<string, unknown>) : {};
  const result: Record<string, unknown> = { ...DEFAULT_PREFERENCES };
  for (const [key, schema] of Object.entries(preferenceFields)) {
    const parsed = schema.safeParse(source[key]);
    if (parsed.success) result[key] = parsed.data;
  }
  return result as TPreferences;
}

// ---------------------------------------------------------------------------------------------------------------
// Administration
// ---------------------------------------------------------------------------------------------------------------

export const USER_ROLES = ["user", "admin"] as const;
export type TUserRole = (typeof USER_ROLES)[number];

export const ZAdminListUsersInput = z.object({
  /** Matched against e-mail, username and name (substring, case-insensitive). */
  query: z
    .string()
    .trim()
    .max(100, "Use at most 100 characters.")
    .optional()
    .transform((value) => (value === "" ? undefined : value)),
  role: z.enum(USER_ROLES).optional(),
  status: z.enum(["active", "inactive"]).optional(),
  premium: z.boolean().optional(),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(10).max(100).default(20),
});
export type TAdminListUsersInput = z.infer<typeof ZAdminListUsersInput>;

export const ZAdminUpdateUserInput = z
  .object({
    userId: z.uuid("Unknown user."),
    isActive: z.boolean().optional(),
    isPremium: z.boolean().optional(),
    role: z.enum(USER_ROLES).optional(),
  })
  .refine(
    (value) => value.isActive !== undefined || value.isPremium !== undefined || value.role !== undefined,
    "Change at least one of: active, premium, role.",
  );
export type TAdminUpdateUserInput = z.infer<typeof ZAdminUpdateUserInput>;

/** A page of the mail outbox (development mailbox, admin view). */
export const ZListOutboxInput = z
  .object({
    page: z.number().int().min(1).max(100_000).default(1),
    pageSize: z.number().int().min(10).max(100).default(20),
  })
  .default({ page: 1, pageSize: 20 });
export type TListOutboxInput = z.infer<typeof ZListOutboxInput>;
