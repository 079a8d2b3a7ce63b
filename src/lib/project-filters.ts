import { PROJECT_SORTS, PROJECT_STATUSES, type TListProjectsInput } from "~/lib/schemas/project";

/** The list's filters as they are in the URL (so a filtered list can be shared and survives a reload). */
export function projectFilters(params: { get(name: string): string | null }): NonNullable<TListProjectsInput> {
  const sort = params.get("sort");
  const status = params.get("status");
  return {
    search: params.get("q") ?? "",
    sort: (PROJECT_SORTS as readonly string[]).includes(sort ?? "")
      ? (sort as (typeof PROJECT_SORTS)[number])
      : "activity",
    status: (PROJECT_STATUSES as readonly string[]).includes(status ?? "")
      ? (status as (typeof PROJECT_STATUSES)[number])
      : undefined,
    includeArchived: params.get("archived") === "1",
  };
}
