"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Alert } from "~/components/ui/alert";
import { Dialog, DialogContent, DialogFormActions } from "~/components/ui/dialog";
import { TextAreaField, TextField } from "~/components/ui/field";
import { Switch } from "~/components/ui/switch";
import { ZCreatePriceInput, type TTierRatesInput } from "~/lib/schemas/usage";
import { useTRPC } from "~/trpc/react";

/** The five rates of a tier, in the order the price lists publish them. */
export const RATE_FIELDS = [
  ["input", "Input"],
  ["output", "Output"],
  ["cacheWrite5m", "Cache write, 5 min"],
  ["cacheWrite1h", "Cache write, 1 h"],
  ["cacheRead", "Cache read"],
] as const satisfies readonly (readonly [keyof TTierRatesInput, string])[];

/** What the form starts with: a model (fixed when adding to one), its latest rates, the first day allowed. */
export interface PriceDraft {
  model?: string;
  rates?: Partial<Record<keyof TTierRatesInput, string>>;
  longContext?: { threshold: number; rates: Partial<Record<keyof TTierRatesInput, string>> } | null;
  effectiveFrom: string;
}

type Errors = Record<string, string>;

function numberOf(form: FormData, name: string): number {
  const text = String(form.get(name) ?? "").trim();
  return text === "" ? Number.NaN : Number(text);
}

function ratesOf(form: FormData, prefix: string) {
  return Object.fromEntries(RATE_FIELDS.map(([key]) => [key, numberOf(form, `${prefix}${key}`)])) as TTierRatesInput;
}

/** A stored rate ("2.500000") as the input shows it ("2.5"). */
function shortRate(rate: string | undefined): string | undefined {
  return rate === undefined ? undefined : String(Number(rate));
}

/**
 * Adds a dated price row (`admin.prices.create`). Validates with the server's schema first; a refusal from the
 * server (an overlapping or earlier date is a CONFLICT) stays in the open dialog under the field it is about, and
 * nothing is written.
 */
export function PriceDialog({
  open,
  onOpenChange,
  draft,
  onCreated,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  draft: PriceDraft;
  onCreated(message: string): void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string>();
  const [longContext, setLongContext] = useState(Boolean(draft.longContext));
  const create = useMutation(trpc.admin.prices.create.mutationOptions());
  const formRef = useRef<HTMLFormElement>(null);
  // After a refusal (the page's or the server's), focus the first field in error: keyboard and screen-reader users
  // land on what to fix.
  useEffect(() => {
    if (Object.keys(errors).length > 0) formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
  }, [errors]);

  function reset(next: boolean) {
    if (next) setLongContext(Boolean(draft.longContext));
    setErrors({});
    setFormError(undefined);
    create.reset();
    onOpenChange(next);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const day = String(form.get("effectiveFrom") ?? "");
    const note = String(form.get("note") ?? "").trim();
    const parsed = ZCreatePriceInput.safeParse({
      model: String(form.get("model") ?? draft.model ?? ""),
      effectiveFrom: day ? `${day}T00:00:00Z` : undefined,
      rates: ratesOf(form, "rate."),
      longContext: longContext
        ? { threshold: numberOf(form, "long.threshold"), rates: ratesOf(form, "long.rate.") }
        : null,
      note: note === "" ? undefined : note,
    });
    setFormError(undefined);
    if (!parsed.success) {
      const next: Errors = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path.join(".");
        next[key] ??= issue.message;
      }
      setErrors(next);
      return;
    }
    setErrors({});
    try {
      const row = await create.mutateAsync(parsed.data);
      await queryClient.invalidateQueries({ queryKey: trpc.admin.pathKey() });
      onCreated(`Added a price for ${row.model} from ${row.effectiveFrom.toISOString().slice(0, 10)}.`);
      reset(false);
    } catch (failure) {
      const error = failure as { message?: string; data?: { code?: string } };
      const message = error.message ?? "The price could not be added.";
      if (error.data?.code === "CONFLICT") setErrors({ effectiveFrom: message });
      else setFormError(message);
    }
  }

  const fixedModel = draft.model !== undefined;
  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogContent
        title={fixedModel ? `Add a price for ${draft.model}` : "Add a price"}
        description="A new dated row, in USD per million tokens. Prices are never edited: a row runs until the model's next one. Turns already recorded keep their cost until you re-price them."
        className="max-h-[calc(100dvh-2rem)] w-[min(40rem,calc(100vw-2rem))] overflow-y-auto"
      >
        <form ref={formRef} onSubmit={submit} className="mt-4 space-y-4" noValidate data-testid="price-form">
          {formError && <Alert tone="error">{formError}</Alert>}
          <div className="grid gap-4 sm:grid-cols-2">
            {fixedModel ? (
              <input type="hidden" name="model" value={draft.model} />
            ) : (
              <TextField
                label="Model"
                name="model"
                autoFocus
                spellCheck={false}
                autoComplete="off"
                placeholder="claude-sonnet-5-5"
                error={errors.model}
              />
            )}
            <TextField
              label="Effective from (UTC)"
              name="effectiveFrom"
              type="date"
              autoFocus={fixedModel}
              defaultValue={draft.effectiveFrom}
              error={errors.effectiveFrom}
              hint="Must be after the model's latest price. Turns before it keep the price they had."
            />
          </div>
          <RateFields prefix="rate." legend="Rates" values={draft.rates} errors={errors} errorPrefix="rates." />
          <div className="flex items-center gap-3">
            <Switch
              id="price-long-context"
              checked={longContext}
              onCheckedChange={setLongContext}
              aria-describedby="price-long-context-hint"
            />
            <label htmlFor="price-long-context" className="text-sm font-medium">
              Long-context tier
            </label>
            <span id="price-long-context-hint" className="text-xs text-zinc-500 dark:text-zinc-400">
              Above a prompt size, the whole request is charged at these rates.
            </span>
          </div>
          {longContext && (
            <div className="space-y-4 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
              <TextField
                label="Threshold, prompt tokens"
                name="long.threshold"
                inputMode="numeric"
                className="sm:w-48"
                defaultValue={draft.longContext?.threshold}
                error={errors["longContext.threshold"]}
              />
              <RateFields
                prefix="long.rate."
                legend="Rates above the threshold"
                values={draft.longContext?.rates}
                errors={errors}
                errorPrefix="longContext.rates."
              />
            </div>
          )}
          <TextAreaField
            label="Note (optional)"
            name="note"
            className="min-h-16"
            placeholder="Where the price comes from, e.g. the published list price of 2026-12-01"
            error={errors.note}
          />
          <DialogFormActions submitLabel="Add price" pending={create.isPending} />
        </form>
      </DialogContent>
    </Dialog>
  );
}

function RateFields({
  prefix,
  legend,
  values,
  errors,
  errorPrefix,
}: {
  prefix: string;
  legend: string;
  values: PriceDraft["rates"];
  errors: Errors;
  errorPrefix: string;
}) {
  return (
    <fieldset>
      <legend className="mb-2 text-sm font-semibold">
        {legend} <span className="font-normal text-zinc-500 dark:text-zinc-400">(USD per million tokens)</span>
      </legend>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-5">
        {RATE_FIELDS.map(([key, label]) => (
          <TextField
            key={key}
            label={label}
            name={`${prefix}${key}`}
            inputMode="decimal"
            autoComplete="off"
            defaultValue={shortRate(values?.[key])}
            error={errors[`${errorPrefix}${key}`]}
          />
        ))}
      </div>
    </fieldset>
  );
}
