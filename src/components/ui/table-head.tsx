import { cn } from "~/lib/cn";

/**
 * The header row of a figures table: the first column names the row (left-aligned), the others hold numbers
 * (right-aligned). `cellClassName` adds padding where the table's cells have it.
 */
export function TableHead({ columns, cellClassName }: { columns: readonly string[]; cellClassName?: string }) {
  return (
    <thead className="text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
      <tr>
        {columns.map((column, index) => (
          <th key={column} scope="col" className={cn("py-2 font-medium", index > 0 && "text-right", cellClassName)}>
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}
