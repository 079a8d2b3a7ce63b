/**
 * Ratings and reviews: one per user per template (rating again changes it), never by the template's author; the
 * aggregates and the histogram are kept exact by the database's trigger. Reviews are paged newest or most
 * helpful first; "helpful" is one vote per user; admins hide a review (its stars still count).
 */
import { REVIEW_PAGE_SIZE, type TTemplateReviewsInput } from "~/lib/schemas/template";
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { recordAudit } from "../usage/audit";
import { visibleTo, type Viewer } from "./access";

async function rateableTemplate(db: Database, viewer: Viewer, templateId: string) {
  const template = await db.projectTemplate.findFirst({
    where: { id: templateId, ...visibleTo(viewer) },
    select: { createdById: true, isPublic: true },
  });
  if (!template) throw new AppError("NOT_FOUND", "Template not found.");
  if (template.createdById === viewer.id) throw new AppError("FORBIDDEN", "You cannot rate your own template.");
  if (!template.isPublic) throw new AppError("BAD_REQUEST", "Only public templates can be rated.");
}

/**
 * Rates a template 1 to 5 stars with an optional review (null clears it; undefined keeps the one written before).
 * Answers the template's new aggregates.
 */
export async function rateTemplate(options: {
  db: Database;
  viewer: Viewer;
  templateId: string;
  rating: number;
  review?: string | null;
}) {
  const { db, viewer, templateId, rating, review } = options;
  await rateableTemplate(db, viewer, templateId);
  // A review an admin hid stays hidden when its writer deletes it and writes it again.
  const hold = await db.templateReviewHold.findUnique({
    where: { templateId_userId: { templateId, userId: viewer.id } },
    select: { hiddenAt: true, hiddenById: true },
  });
  await db.templateRating.upsert({
    where: { templateId_userId: { templateId, userId: viewer.id } },
    create: {
      templateId,
      userId: viewer.id,
      rating,
      review: review ?? null,
      hiddenAt: hold?.hiddenAt ?? null,
      hiddenById: hold?.hiddenById ?? null,
    },
    update: { rating, ...(review === undefined ? {} : { review }) },
  });
  return templateAggregates(db, templateId);
}

/**
 * Removes the caller's rating (and review) of a template; answers the new aggregates. The rating is the caller's
 * own, so it can be removed even from a template that has gone private since (whose author still reads the
 * review); the aggregates of a template the caller may no longer see are not answered.
 */
export async function unrateTemplate({ db, viewer, templateId }: { db: Database; viewer: Viewer; templateId: string }) {
  const template = await db.projectTemplate.findFirst({
    where: { id: templateId, ...visibleTo(viewer) },
    select: { id: true },
  });
  const deleted = await db.templateRating.deleteMany({ where: { templateId, userId: viewer.id } });
  if (!template) {
    if (deleted.count === 0) throw new AppError("NOT_FOUND", "Template not found.");
    return { deleted: true };
  }
  return { deleted: deleted.count > 0, ...(await templateAggregates(db, templateId)) };
}

async function templateAggregates(db: Database, templateId: string) {
  const template = await db.projectTemplate.findUniqueOrThrow({
    where: { id: templateId },
    select: { ratingAverage: true, ratingCount: true, ratingHistogram: true },
  });
  return {
    ratingAverage: Number(template.ratingAverage ?? 0),
    ratingCount: template.ratingCount ?? 0,
    ratingHistogram: template.ratingHistogram,
  };
}

/**
 * One page of a template's reviews (ratings with text). Hidden reviews are left out, except for admins and for
 * their own writer, who see them marked hidden.
 */
export async function listTemplateReviews(options: {
  db: Database;
  viewer: Viewer | null;
  input: Required<Pick<TTemplateReviewsInput, "templateId" | "order" | "page">>;
}) {
  const { db, viewer, input } = options;
  const template = await db.projectTemplate.findFirst({
    where: { id: input.templateId, ...visibleTo(viewer) },
    select: { id: true },
  });
  if (!template) throw new AppError("NOT_FOUND", "Template not found.");
  const where = {
    templateId: input.templateId,
    review: { not: null },
    ...(viewer?.role === "admin" ? {} : { OR: [{ hiddenAt: null }, ...(viewer ? [{ userId: viewer.id }] : [])] }),
  };
  const [total, rows] = await Promise.all([
    db.templateRating.count({ where }),
    db.templateRating.findMany({
      where,
      orderBy:
        input.order === "helpful"
          ? [{ helpfulCount: "desc" }, { createdAt: "desc" }, { id: "asc" }]
          : [{ createdAt: "desc" }, { id: "asc" }],
      skip: (input.page - 1) * REVIEW_PAGE_SIZE,
      take: REVIEW_PAGE_SIZE,
      select: {
        id: true,
        rating: true,
        review: true,
        createdAt: true,
        updatedAt: true,
        helpfulCount: true,
        hiddenAt: true,
        userId: true,
        user: { select: { fullName: true, username: true, avatarUrl: true } },
        votes: viewer ? { where: { userId: viewer.id }, select: { userId: true } } : false,
      },
    }),
  ]);
  return {
    total,
    page: input.page,
    pages: Math.max(1, Math.ceil(total / REVIEW_PAGE_SIZE)),
    reviews: rows.map((row) => ({
      id: row.id,
      rating: row.rating,
      review: row.review ?? "",
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      helpfulCount: row.helpfulCount,
      hidden: row.hiddenAt !== null,
      authorName: row.user.fullName ?? row.user.username,
      authorAvatarUrl: row.user.avatarUrl,
      isMine: viewer?.id === row.userId,
      votedHelpful: (row.votes?.length ?? 0) > 0,
    })),
  };
}

/** Marks a review helpful (or takes the vote back): one vote per user, never on one's own review. */
export async function voteReviewHelpful(options: { db: Database; viewer: Viewer; ratingId: string; helpful: boolean }) {
  const { db, viewer, ratingId, helpful } = options;
  const rating = await db.templateRating.findFirst({
    where: { id: ratingId, review: { not: null }, hiddenAt: null, template: visibleTo(viewer) },
    select: { userId: true },
  });
  if (!rating) throw new AppError("NOT_FOUND", "Review not found.");
  if (rating.userId === viewer.id) throw new AppError("BAD_REQUEST", "You cannot vote for your own review.");
  if (helpful) {
    await db.templateReviewVote.createMany({ data: [{ ratingId, userId: viewer.id }], skipDuplicates: true });
  } else {
    await db.templateReviewVote.deleteMany({ where: { ratingId, userId: viewer.id } });
  }
  const { helpfulCount } = await db.templateRating.findUniqueOrThrow({
    where: { id: ratingId },
    select: { helpfulCount: true },
  });
  return { helpfulCount, votedHelpful: helpful };
}

/** Hides a review from everyone but admins and its writer (or shows it again); recorded in the audit log. */
export async function hideTemplateReview(options: {
  db: Database;
  adminId: string;
  ratingId: string;
  hidden: boolean;
}) {
  const { db, adminId, ratingId, hidden } = options;
  return db.$transaction(async (tx) => {
    const rating = await tx.templateRating.findUnique({
      where: { id: ratingId },
      select: { templateId: true, userId: true },
    });
    if (!rating) throw new AppError("NOT_FOUND", "Review not found.");
    const hiddenAt = new Date();
    await tx.templateRating.update({
      where: { id: ratingId },
      data: hidden ? { hiddenAt, hiddenById: adminId } : { hiddenAt: null, hiddenById: null },
    });
    const key = { templateId_userId: { templateId: rating.templateId, userId: rating.userId } };
    if (hidden) {
      await tx.templateReviewHold.upsert({
        where: key,
        create: { templateId: rating.templateId, userId: rating.userId, hiddenById: adminId, hiddenAt },
        update: { hiddenById: adminId, hiddenAt },
      });
    } else {
      await tx.templateReviewHold.deleteMany({ where: { templateId: rating.templateId, userId: rating.userId } });
    }
    await recordAudit(tx, { adminId, action: "review.hide", target: { ratingId }, details: { hidden } });
    return { hidden };
  });
}
