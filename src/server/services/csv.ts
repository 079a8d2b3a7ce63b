/**
 * The CSV writer of every export (activity log, usage rollups): RFC 4180 fields and CRLF lines. A text cell that
 * starts with = + - @ (or a tab or carriage return, which some spreadsheets skip before reading one) gets a leading
 * ' so a spreadsheet shows it instead of running it as a formula (CSV injection); numbers are written as they are.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (with its CRLF) of the given cells, each through `csvField`. */
export function csvLine(values: readonly (string | number | null)[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
