/**
 * Project file paths: the only structure of a project (a folder is the prefix of the paths under it).
 * Client-safe: the IDE validates with the same rules the server enforces.
 */
import { z } from "zod";

export const MAX_PATH_LENGTH = 1024;
export const MAX_SEGMENT_BYTES = 255;
/** The whole path in UTF-8: keeps every path within what PostgreSQL can index (a btree row is at most ~2.7 kB). */
export const MAX_PATH_BYTES = 2048;

// C0 and C1 control characters and line separators; then what makes a name display as another one (look-alike
// files, "Trojan source"): bidirectional marks, embeddings, overrides and isolates, and invisible characters
// (Unicode's default-ignorable code points: zero-width space, joiners, word joiner, invisible operators, the
// byte-order mark, soft hyphen, Hangul fillers, variation selectors, tag characters; and the Mongolian vowel
// separator).
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const BIDI_CHARACTERS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const INVISIBLE_CHARACTERS = /[\p{Default_Ignorable_Code_Point}\u180e]/u;
const encoder = new TextEncoder();

export type PathCheck = { ok: true; path: string } | { ok: false; message: string };

/**
 * The canonical form of a path typed, uploaded or unzipped: NFC, `/`-separated, relative to the project root,
 * without a leading `./`. Anything that could escape the project or hide from the user is refused with a message
 * saying what to change.
 */
export function normalizeFilePath(input: string): PathCheck {
  // Look-alikes are checked before trimming, which would silently drop a leading byte-order mark.
  let path = input.normalize("NFC");
  if (BIDI_CHARACTERS.test(path)) {
    return {
      ok: false,
      message: "File paths cannot contain bidirectional text controls: they make a name look like another one.",
    };
  }
  if (INVISIBLE_CHARACTERS.test(path)) {
    return {
      ok: false,
      message:
        "File paths cannot contain invisible characters (such as a zero-width space): they make a name look like another one.",
    };
  }
  path = path.trim();
  if (path === "") return { ok: false, message: "Enter a file path." };
  if (CONTROL_CHARACTERS.test(path)) {
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
    return {
      ok: false,
      message: `Use a path of at most ${MAX_PATH_BYTES} bytes (long names in some scripts take 3 bytes a character).`,
    };
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
