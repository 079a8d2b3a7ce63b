"use client";

import { useMutation } from "@tanstack/react-query";
import { Star } from "lucide-react";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { fieldErrors, serverFieldErrors, type FieldErrors } from "~/components/auth/form-errors";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ConfirmDialog } from "~/components/ui/confirm-dialog";
import { TextAreaField } from "~/components/ui/field";
import { cn } from "~/lib/cn";
import { REVIEW_MAX_CHARS, ZRateTemplateInput } from "~/lib/schemas/template";
import { useTRPC } from "~/trpc/react";
import type { TemplateDetail } from "./template-page";
import { signInHref, useRefreshTemplate } from "./use-template-cache";

type Errors = FieldErrors<{ rating: number; review: string }>;

/**
 * 1 to 5 stars as native radio buttons (arrow keys move and choose, each named "N stars"), drawn as stars that
 * fill up to the choice or to the star under the pointer.
 */
export function StarPicker({
  value,
  onChange,
  error,
}: {
  value: number | null;
  onChange(value: number): void;
  error?: string;
}) {
  const [hover, setHover] = useState<number | null>(null);
  const shown = hover ?? value ?? 0;
  return (
    <div>
      <p id="rating-label" className="mb-1.5 block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        Stars
      </p>
      <div
        role="radiogroup"
        aria-labelledby="rating-label"
        aria-describedby={error ? "rating-error" : undefined}
        aria-invalid={error ? true : undefined}
        className="flex gap-0.5"
        onMouseLeave={() => setHover(null)}
      >
        {[1, 2, 3, 4, 5].map((stars) => (
          <label
            key={stars}
            className="relative cursor-pointer rounded p-0.5 has-focus-visible:ring-2 has-focus-visible:ring-brand-500"
            onMouseEnter={() => setHover(stars)}
          >
            <input
              type="radio"
              name="rating"
              value={stars}
              checked={value === stars}
              onChange={() => onChange(stars)}
              aria-label={stars === 1 ? "1 star" : `${stars} stars`}
              // Transparent over its star rather than sr-only: a click or tap lands on the radio itself.
              className="absolute inset-0 m-0 cursor-pointer opacity-0"
            />
            <Star
              aria-hidden
              className={cn(
                "size-7 transition-colors",
                stars <= shown ? "fill-amber-500 text-amber-500" : "fill-transparent text-zinc-300 dark:text-zinc-600",
              )}
            />
          </label>
        ))}
        <span className="ml-2 self-center text-sm text-zinc-600 dark:text-zinc-400" aria-hidden>
          {shown === 0 ? "Choose 1 to 5 stars" : `${shown} of 5`}
        </span>
      </div>
      {error && (
        <p id="rating-error" className="mt-1 text-xs font-medium text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * The visitor's rating and review of a template: write one, change it, or delete it. Authors, signed-out
 * visitors and private templates get a sentence saying why there is no form.
 */
export function RatingForm({ template, signedIn }: { template: TemplateDetail; signedIn: boolean }) {
  const trpc = useTRPC();
  const refresh = useRefreshTemplate(template.id);
  const mine = template.viewer.myRating;
  const [rating, setRating] = useState<number | null>(mine?.rating ?? null);
  const [review, setReview] = useState(mine?.review ?? "");
  const [errors, setErrors] = useState<Errors>({});
  const [saved, setSaved] = useState<string | null>(null);
  const rate = useMutation(trpc.template.rate.mutationOptions());
  const unrate = useMutation(trpc.template.unrate.mutationOptions());

  if (!signedIn) {
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        <Link
          href={signInHref(`/templates/${template.id}`)}
          className="font-medium text-brand-600 hover:underline dark:text-brand-400"
        >
          Sign in to rate
        </Link>{" "}
        and review this template.
      </p>
    );
  }
  if (template.viewer.isAuthor) {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">You can&apos;t rate your own template.</p>;
  }
  if (!template.viewer.canRate) {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">Only public templates can be rated.</p>;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    const parsed = ZRateTemplateInput.safeParse({ templateId: template.id, rating: rating ?? undefined, review });
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    try {
      // The review goes as typed (empty clears it); the server trims and checks it again.
      await rate.mutateAsync({ templateId: template.id, rating: parsed.data.rating, review });
      await refresh();
      setSaved(mine ? "Your rating is updated." : "Thanks! Your rating is saved.");
    } catch (error) {
      setErrors(serverFieldErrors(error));
    }
  }

  async function onDelete() {
    setSaved(null);
    try {
      await unrate.mutateAsync({ templateId: template.id });
      setRating(null);
      setReview("");
      setErrors({});
      await refresh();
      setSaved("Your rating is deleted.");
    } catch {
      // unrate.error is shown below.
    }
  }

  const failed = rate.isError ? rate.error : unrate.isError ? unrate.error : null;
  return (
    <section aria-labelledby="rate-heading" className="space-y-3 border-t border-zinc-200 pt-5 dark:border-zinc-800">
      <h2 id="rate-heading" className="text-base font-semibold">
        {mine ? "Your rating" : "Rate this template"}
      </h2>
      {mine?.hidden && (
        <Alert tone="warning">An admin hid your review: only you and admins can see it. Your stars still count.</Alert>
      )}
      <form onSubmit={onSubmit} className="space-y-3" noValidate data-testid="rating-form">
        {failed && Object.keys(errors).length === 0 && <Alert tone="error">{failed.message}</Alert>}
        <StarPicker value={rating} onChange={setRating} error={errors.rating} />
        <TextAreaField
          label="Review (optional)"
          name="review"
          value={review}
          onChange={(event) => setReview(event.target.value)}
          maxLength={REVIEW_MAX_CHARS}
          placeholder="What worked well, what was missing?"
          error={errors.review}
          hint={
            <span
              data-testid="review-counter"
              className={cn(review.length > REVIEW_MAX_CHARS * 0.9 && "text-amber-700 dark:text-amber-400")}
            >
              {review.length.toLocaleString("en-US")} / {REVIEW_MAX_CHARS.toLocaleString("en-US")} characters
            </span>
          }
        />
        <div className="flex flex-wrap items-center gap-2">
          <Button type="submit" pending={rate.isPending}>
            {mine ? "Update" : "Save"}
          </Button>
          {mine && (
            <ConfirmDialog
              trigger={
                <Button type="button" variant="secondary" disabled={unrate.isPending}>
                  Delete my rating
                </Button>
              }
              title="Delete your rating?"
              description="Your stars and your review are removed from this template."
              confirmLabel="Delete my rating"
              onConfirm={() => void onDelete()}
            />
          )}
          <span role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            {saved}
          </span>
        </div>
      </form>
    </section>
  );
}
