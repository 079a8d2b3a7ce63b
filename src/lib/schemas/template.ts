/**
 * Inputs of the template procedures: the gallery, a template's page, ratings and reviews, publishing, and the
 * upgrade of a project from a newer version. Client-safe: forms and the gallery's URL state parse with these.
 */
import { z } from "zod";
import { ZFilePath } from "~/lib/paths";
import { ZProjectDescription, ZProjectName } from "~/lib/schemas/project";

export const TEMPLATE_CATEGORIES = [
  "web-app",
  "api",
  "static",
  "pwa",
  "cli",
  "library",
  "mobile",
  "game",
  "other",
] as const;
export const TEMPLATE_CATEGORY_LABELS: Record<(typeof TEMPLATE_CATEGORIES)[number], string> = {
  "web-app": "Web app",
  api: "API",
  static: "Static site",
  pwa: "PWA",
  cli: "CLI",
  library: "Library",
  mobile: "Mobile",
  game: "Game",
  other: "Other",
};
export const TEMPLATE_SORTS = ["popular", "top-rated", "newest", "relevance"] as const;
export type TemplateSort = (typeof TEMPLATE_SORTS)[number];
export const TEMPLATE_MAX_TAGS = 10;
export const TEMPLATE_PAGE_SIZE = 24;
export const REVIEW_MAX_CHARS = 2000;
export const REVIEW_PAGE_SIZE = 10;
export const CHANGELOG_MAX_CHARS = 5000;

/** Ranges of C0/C1 control characters other than tab and newline: never part of a name, a tag or a review. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;

export const ZTemplateCategory = z.enum(TEMPLATE_CATEGORIES, { error: "Choose a category from the list." });

/** A tag: lowercase letters, digits and + # . -, like `react`, `c++`, `node.js`; at most 32 characters. */
export const ZTemplateTag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "A tag cannot be empty.")
  .max(32, "Use tags of at most 32 characters.")
  .regex(
    /^[\p{Ll}\p{N}][\p{Ll}\p{N}+#.-]*$/u,
    "Use tags of lowercase letters, digits and + # . - (like react or c++).",
  );

export const ZTemplateTags = z
  .array(ZTemplateTag)
  .max(TEMPLATE_MAX_TAGS, `Use at most ${TEMPLATE_MAX_TAGS} tags.`)
  .transform((tags) => [...new Set(tags)]);

export const ZTemplateName = z
  .string()
  .trim()
  .normalize("NFC")
  .min(1, "Enter a template name.")
  .max(100, "Use a template name of at most 100 characters.")
  .refine((name) => !CONTROL.test(name), "Remove control characters from the name.");

export const ZTemplateDescription = z
  .string()
  .trim()
  .min(1, "Describe the template in a sentence or two.")
  .max(2000, "Use a description of at most 2,000 characters.")
  .refine((text) => !CONTROL.test(text), "Remove control characters from the description.");

/** MAJOR.MINOR.PATCH, each at most six digits, no leading zeros (no pre-release tags). */
export const ZSemver = z
  .string()
  .trim()
  .regex(/^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/, "Use a version like 1.2.0 (major.minor.patch).");

export const ZChangelog = z
  .string()
  .trim()
  .min(1, "Say what changed in this version.")
  .max(CHANGELOG_MAX_CHARS, `Use a changelog of at most ${CHANGELOG_MAX_CHARS.toLocaleString("en-US")} characters.`)
  .refine((text) => !CONTROL.test(text), "Remove control characters from the changelog.");

/** Compares two MAJOR.MINOR.PATCH versions numerically: negative when a < b. */
export function compareSemver(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The next minor version (1.2.3 -> 1.3.0): what the publish form proposes. */
export function nextMinorVersion(version: string): string {
  const [major = 1, minor = 0] = version.split(".").map(Number);
  return `${major}.${minor + 1}.0`;
}

const ZTemplateId = z.uuid();

/** template.list: the gallery. Every field is optional so a URL's query string parses straight into it. */
export const ZListTemplatesInput = z.object({
  q: z.string().trim().max(200, "Use a search of at most 200 characters.").optional(),
  category: ZTemplateCategory.optional(),
  tags: z.array(ZTemplateTag).max(TEMPLATE_MAX_TAGS, `Filter by at most ${TEMPLATE_MAX_TAGS} tags.`).default([]),
  /** Default: relevance when searching, else popular. */
  sort: z.enum(TEMPLATE_SORTS).optional(),
  /** Only the caller's own templates, public and private (signed in). */
  mine: z.boolean().default(false),
  page: z.number().int().min(1).max(1000).default(1),
});
export type TListTemplatesInput = z.input<typeof ZListTemplatesInput>;

/** template.facets: the counts of categories and tags among the templates the other filters leave. */
export const ZTemplateFacetsInput = z
  .object({
    q: ZListTemplatesInput.shape.q,
    category: ZListTemplatesInput.shape.category,
    tags: ZListTemplatesInput.shape.tags,
  })
  .default({ tags: [] });
export type TTemplateFacetsInput = z.input<typeof ZTemplateFacetsInput>;

export const ZTemplateByIdInput = z.object({ templateId: ZTemplateId });
export type TTemplateByIdInput = z.infer<typeof ZTemplateByIdInput>;

/** template.files: the tree of a version (the current one when omitted), or one file's content with `path`. */
export const ZTemplateFilesInput = z.object({
  templateId: ZTemplateId,
  version: ZSemver.optional(),
  path: ZFilePath.optional(),
});
export type TTemplateFilesInput = z.infer<typeof ZTemplateFilesInput>;

/** template.use: a new project from the template's current version. */
export const ZUseTemplateInput = z.object({
  templateId: ZTemplateId,
  name: ZProjectName,
  description: ZProjectDescription,
});
export type TUseTemplateInput = z.input<typeof ZUseTemplateInput>;

export const ZReviewText = z
  .string()
  .trim()
  .max(REVIEW_MAX_CHARS, `Use a review of at most ${REVIEW_MAX_CHARS.toLocaleString("en-US")} characters.`)
  .refine((text) => !CONTROL.test(text), "Remove control characters from the review.")
  .transform((text) => (text === "" ? null : text));

export const ZRateTemplateInput = z.object({
  templateId: ZTemplateId,
  rating: z
    .number({ error: "Choose 1 to 5 stars." })
    .int("Choose 1 to 5 stars.")
    .min(1, "Choose 1 to 5 stars.")
    .max(5, "Choose 1 to 5 stars."),
  review: ZReviewText.optional(),
});
export type TRateTemplateInput = z.input<typeof ZRateTemplateInput>;

export const ZUnrateTemplateInput = z.object({ templateId: ZTemplateId });

export const ZTemplateReviewsInput = z.object({
  templateId: ZTemplateId,
  order: z.enum(["newest", "helpful"]).default("newest"),
  page: z.number().int().min(1).max(1000).default(1),
});
export type TTemplateReviewsInput = z.input<typeof ZTemplateReviewsInput>;

export const ZVoteHelpfulInput = z.object({ ratingId: z.uuid(), helpful: z.boolean() });
export type TVoteHelpfulInput = z.infer<typeof ZVoteHelpfulInput>;

export const ZHideReviewInput = z.object({ ratingId: z.uuid(), hidden: z.boolean() });

/** template.publish: a project's files as a new template, or as a new version of one of the caller's templates. */
export const ZPublishTemplateInput = z.discriminatedUnion("mode", [
  z.object({
    mode: z.literal("new"),
    projectId: z.uuid(),
    name: ZTemplateName,
    description: ZTemplateDescription,
    category: ZTemplateCategory,
    tags: ZTemplateTags,
    isPublic: z.boolean(),
    version: ZSemver.default("1.0.0"),
    changelog: ZChangelog.default("First release."),
  }),
  z.object({
    mode: z.literal("version"),
    projectId: z.uuid(),
    templateId: ZTemplateId,
    version: ZSemver,
    changelog: ZChangelog,
  }),
]);
export type TPublishTemplateInput = z.input<typeof ZPublishTemplateInput>;

/** template.update: the author's metadata (the files change only by publishing a version). */
export const ZUpdateTemplateInput = z.object({
  templateId: ZTemplateId,
  name: ZTemplateName.optional(),
  description: ZTemplateDescription.optional(),
  category: ZTemplateCategory.optional(),
  tags: ZTemplateTags.optional(),
  isPublic: z.boolean().optional(),
});
export type TUpdateTemplateInput = z.input<typeof ZUpdateTemplateInput>;

export const ZDeleteTemplateInput = z.object({ templateId: ZTemplateId });

/** template.setFlags (admins): featured and official badges. */
export const ZSetTemplateFlagsInput = z.object({
  templateId: ZTemplateId,
  isFeatured: z.boolean().optional(),
  isOfficial: z.boolean().optional(),
});

/** template.upgradePreview: what upgrading the project to its template's current version would change. */
export const ZUpgradePreviewInput = z.object({ projectId: z.uuid() });
export type TUpgradePreviewInput = z.infer<typeof ZUpgradePreviewInput>;

const CONTENT_CEILING = 64 * 1024 * 1024;

/**
 * template.upgradeApply: the version the preview was made for, and the user's decision for each file that
 * collided (its resolved content, `delete: true`, or `take` one side as it is: the only choice for a binary file or
 * one too large to show). `expected` carries, for every path the preview showed, the project file's version then
 * (null: absent), so a file changed since the preview is a CONFLICT, never overwritten.
 */
export const ZUpgradeApplyInput = z.object({
  projectId: z.uuid(),
  toVersionId: z.uuid(),
  expected: z
    .array(z.object({ path: ZFilePath, fileId: z.uuid().nullable(), version: z.number().int().min(1).nullable() }))
    .max(10_000),
  resolutions: z
    .array(
      z.union([
        z.object({ path: ZFilePath, content: z.string().max(CONTENT_CEILING, "This file is too large.") }),
        z.object({ path: ZFilePath, delete: z.literal(true) }),
        z.object({ path: ZFilePath, take: z.enum(["ours", "theirs"]) }),
      ]),
    )
    .max(10_000),
});
export type TUpgradeApplyInput = z.input<typeof ZUpgradeApplyInput>;
export type TUpgradeResolution = TUpgradeApplyInput["resolutions"][number];

export const ZCountPublicTemplatesInput = z
  .object({ category: z.string().trim().min(1).max(100).optional() })
  .optional();
export type TCountPublicTemplatesInput = z.infer<typeof ZCountPublicTemplatesInput>;
