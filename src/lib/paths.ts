/**
 * Project file paths: the only structure of a project (a folder is the prefix of the paths under it).
 * Client-safe: the IDE validates with the same rules the server enforces.
 */
import { z } from "zod";

export const MAX_PATH_LENGTH = 1024;
export const MAX_SEGMENT_BYTES = 255;
/** The whole path in UTF-8: keeps every path within what PostgreSQL can index (a btree row is at most ~2.7 kB). */
export const MAX_PATH_BYTES = 2048;

// C0 and C1 control characters, plus the bidirectional overrides that make a name display as another ("Trojan source").
const FORBIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const encoder = new TextEncoder();

export type PathCheck = { ok: true; path: string } | { ok: false; message: string };

/**
 * The canonical form of a path typed, uploaded or unzipped: NFC, `/`-separated, relative to the project root,
 * without a leading `./`. Anything that could escape the project or hide from the user is refused with a message
 * saying what to change.
 */
export function normalizeFilePath(input: string): PathCheck {
  let path = input.normalize("NFC").trim();
  if (path === "") return { ok: false, message: "Enter a file path." };
  if (FORBIDDEN_CHARACTERS.test(path)) {
    return { ok: false, message: "File paths cannot contain control characters (such as NUL or a line break)." };
  }
  if (path.includes("\\")) return { ok: false, message: "Use / to separate folders, not \\." };
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) {
    return { ok: false, message: "Use a path relative to the project root (no leading / or drive letter)." };
  }
  while (path.startsWith("./")) path = path.slice(2);
  if (path.length > MAX_PATH_LENGTH) {
    return { ok: false, message: `Use a path of at most ${MAX_PATH_LENGTH} characters.` };
  }
  if (encoder.encode(path).length > MAX_PATH_BYTES) {
    return { ok: false, message: `Use a path of at most ${MAX_PATH_BYTES} bytes (long names in some scripts take 3 bytes a character).` };
  }
  for (const segment of path.split("/")) {
    if (segment === "") return { ok: false, message: "Remove the empty folder name (a doubled or trailing /)." };
    if (segment === "." || segment === "..") {
      return { ok: false, message: "Paths cannot contain . or .. as a file or folder name." };
    }
    if (encoder.encode(segment).length > MAX_SEGMENT_BYTES) {
      return { ok: false, message: `Each file or folder name may be at most ${MAX_SEGMENT_BYTES} bytes long.` };
    }
  }
  return { ok: true, path };
}

/** A file or folder path; parses to its canonical form (see `normalizeFilePath`). */
export const ZFilePath = z
  .string()
  .max(MAX_PATH_LENGTH * 4, `Use a path of at most ${MAX_PATH_LENGTH} characters.`)
  .transform((value, ctx) => {
    const result = normalizeFilePath(value);
    if (result.ok) return result.path;
    ctx.addIssue({ code: "custom", message: result.message });
    return z.NEVER;
  });

/** The last segment of a path: the file's name. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** The folder that holds a path ("" at the project root). */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/** Every folder above a path, outermost first: "a/b/c.ts" -> ["a", "a/b"]. */
export function ancestorPaths(path: string): string[] {
  const segments = path.split("/");
  return segments.slice(1).map((_, index) => segments.slice(0, index + 1).join("/"));
}

/** Whether `path` is `folder` itself or lies under it. */
export function isSameOrInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}
