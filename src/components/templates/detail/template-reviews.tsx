"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { EyeOff, Star, ThumbsUp } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Alert } from "~/components/ui/alert";
import { Avatar } from "~/components/ui/avatar";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { cn } from "~/lib/cn";
import type { RouterOutputs } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";
import { RelativeDate } from "./template-page";
import { signInHref, useRefreshTemplate } from "./use-template-cache";

type Order = "newest" | "helpful";
type Review = RouterOutputs["template"]["reviews"]["reviews"][number];

function ReviewStars({ rating }: { rating: number }) {
  const label = `${rating} out of 5 stars`;
  return (
    <span role="img" aria-label={label} title={label} className="inline-flex" data-testid="review-stars">
      {[1, 2, 3, 4, 5].map((stars) => (
        <Star
          key={stars}
          aria-hidden
          className={cn(
            "size-3.5",
            stars <= rating ? "fill-amber-500 text-amber-500" : "fill-current text-zinc-300 dark:text-zinc-600",
          )}
        />
      ))}
    </span>
  );
}

function ReviewItem({
  review,
  templateId,
  signedIn,
  isAdmin,
}: {
  review: Review;
  templateId: string;
  signedIn: boolean;
  isAdmin: boolean;
}) {
  const trpc = useTRPC();
  const refresh = useRefreshTemplate(templateId);
  const vote = useMutation(trpc.template.voteHelpful.mutationOptions({ onSuccess: () => refresh() }));
  const hide = useMutation(trpc.template.hideReview.mutationOptions({ onSuccess: () => refresh() }));
  const edited = new Date(review.updatedAt).getTime() - new Date(review.createdAt).getTime() > 1000;
  const failure = vote.error ?? hide.error;
  return (
    <li
      className={cn("space-y-2 py-4 first:pt-0 last:pb-0", review.hidden && "opacity-80")}
      data-testid="review"
      aria-label={`Review by ${review.authorName}`}
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
        <Avatar name={review.authorName} url={review.authorAvatarUrl} size={24} />
        <span className="font-medium">{review.authorName}</span>
        {review.isMine && <span className="text-xs text-zinc-500 dark:text-zinc-400">(you)</span>}
        <ReviewStars rating={review.rating} />
        <span className="text-xs text-zinc-500 dark:text-zinc-400">
          <RelativeDate date={new Date(review.createdAt)} />
          {edited && (
            <>
              {" · "}
              <RelativeDate date={new Date(review.updatedAt)} prefix="edited " />
            </>
          )}
        </span>
        {review.hidden && (
          <span className="inline-flex items-center gap-1 rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200 dark:bg-amber-500/15 dark:text-amber-200 dark:ring-amber-500/40">
            <EyeOff className="size-3" aria-hidden /> Hidden
          </span>
        )}
      </div>
      {/* Plain text on purpose: React escapes it, and pre-line keeps the writer's line breaks. */}
      <p className="text-sm break-words whitespace-pre-line text-zinc-800 dark:text-zinc-200" data-testid="review-text">
        {review.review}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        {review.isMine ? (
          <span className="text-xs text-zinc-500 dark:text-zinc-400">
            {review.helpfulCount === 1 ? "1 person" : `${review.helpfulCount} people`} found this helpful
          </span>
        ) : signedIn ? (
          <Button
            variant="secondary"
            size="sm"
            aria-pressed={review.votedHelpful}
            pending={vote.isPending}
            disabled={review.hidden}
            onClick={() => vote.mutate({ ratingId: review.id, helpful: !review.votedHelpful })}
            className={cn(
              "h-7 px-2 text-xs",
              review.votedHelpful &&
                "border-brand-300 bg-brand-50 text-brand-700 dark:border-brand-700 dark:bg-brand-700/20 dark:text-brand-100",
            )}
          >
            <ThumbsUp className={cn("size-3.5", review.votedHelpful && "fill-current")} aria-hidden />
            Helpful ({review.helpfulCount})
          </Button>
        ) : (
          <span className="text-xs text-zinc-500 dark:text-zinc-400">
            Helpful ({review.helpfulCount}) ·{" "}
            <Link
              href={signInHref(`/templates/${templateId}`)}
              className="font-medium text-brand-600 hover:underline dark:text-brand-400"
            >
              Sign in to vote
            </Link>
          </span>
        )}
        {isAdmin && (
          <Button
            variant="ghost"
            size="sm"
            className="h-7 px-2 text-xs"
            pending={hide.isPending}
            onClick={() => hide.mutate({ ratingId: review.id, hidden: !review.hidden })}
            aria-label={`${review.hidden ? "Unhide" : "Hide"} the review by ${review.authorName}`}
          >
            {review.hidden ? "Unhide" : "Hide"}
          </Button>
        )}
      </div>
      {failure && <Alert tone="error">{failure.message}</Alert>}
    </li>
  );
}

/** A template's reviews, ten to a page, newest or most helpful first. */
export function TemplateReviews({
  templateId,
  signedIn,
  isAdmin,
}: {
  templateId: string;
  signedIn: boolean;
  isAdmin: boolean;
}) {
  const trpc = useTRPC();
  const [order, setOrder] = useState<Order>("newest");
  const [page, setPage] = useState(1);
  const reviews = useQuery({
    ...trpc.template.reviews.queryOptions({ templateId, order, page }),
    placeholderData: (previous) => previous,
  });
  const data = reviews.data;
  return (
    <Card className="space-y-4">
      <section aria-labelledby="reviews-heading" className="space-y-4">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="reviews-heading" className="text-lg font-semibold tracking-tight">
            Reviews {data && data.total > 0 && <span className="text-zinc-500 tabular-nums">({data.total})</span>}
          </h2>
          <label className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
            Sort
            <select
              value={order}
              onChange={(event) => {
                setOrder(event.target.value as Order);
                setPage(1);
              }}
              className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
            >
              <option value="newest">Newest</option>
              <option value="helpful">Most helpful</option>
            </select>
          </label>
        </div>
        {reviews.isError && <Alert tone="error">{reviews.error.message}</Alert>}
        {data && data.reviews.length === 0 && (
          <p className="rounded-lg border border-dashed border-zinc-300 px-4 py-8 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            No reviews yet. Be the first to review this template.
          </p>
        )}
        {data && data.reviews.length > 0 && (
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-busy={reviews.isFetching || undefined}>
            {data.reviews.map((review) => (
              <ReviewItem
                key={review.id}
                review={review}
                templateId={templateId}
                signedIn={signedIn}
                isAdmin={isAdmin}
              />
            ))}
          </ul>
        )}
        {data && data.pages > 1 && (
          <nav aria-label="Review pages" className="flex items-center justify-between gap-2 text-sm">
            <Button variant="secondary" size="sm" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              Previous
            </Button>
            <span className="text-zinc-600 tabular-nums dark:text-zinc-400">
              Page {data.page} of {data.pages}
            </span>
            <Button variant="secondary" size="sm" disabled={page >= data.pages} onClick={() => setPage(page + 1)}>
              Next
            </Button>
          </nav>
        )}
      </section>
    </Card>
  );
}
