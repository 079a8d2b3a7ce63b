/**
 * The search's pattern compilers, pure (no database): a words query's highlight, exact text, a user's regular
 * expression as a PostgreSQL ARE (refusing the pathological ones), and path globs as regular expressions.
 * The JavaScript matchers they build are literal text only, so no user pattern ever runs in the event loop.
 */
import { AppError } from "~/server/errors";

/** Escapes a literal for a PostgreSQL ARE (and a JavaScript RegExp: the same characters are special). */
function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** `\y` where the text starts/ends with a word character, as an editor's "whole word" does. */
function wholeWordRegex(literalRegex: string, text: string): string {
  const before = WORD_CHAR.test(text[0] ?? "") ? "\\y" : "";
  const after = WORD_CHAR.test(text[text.length - 1] ?? "") ? "\\y" : "";
  return `${before}${literalRegex}${after}`;
}

/**
 * A user's regular expression as a PostgreSQL ARE: newline-sensitive (`.` and `^`/`$` stay within a line, as in
 * an editor), with the JavaScript spellings people type (`\b`, `\B`, `(?<name>`) translated. Nested quantifiers and
 * back-references, the constructs that can make a regex engine blow up, are refused up front.
 */
export function toPostgresRegex(pattern: string, wholeWord: boolean): string {
  if (/\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/.test(pattern)) {
    throw new AppError(
      "BAD_REQUEST",
      "This regular expression repeats a repeated group (like (a+)+), which can take forever; simplify it.",
    );
  }
  let out = "";
  let inClass = false;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === "\\") {
      const next = pattern[index + 1] ?? "";
      index++;
      // A back-reference makes PostgreSQL match by backtracking, which can take exponential time.
      if (!inClass && (/[1-9]/.test(next) || (next === "k" && pattern[index + 1] === "<"))) {
        throw new AppError(
          "BAD_REQUEST",
          "This regular expression refers back to a group (like \\1), which can take forever; search without it.",
        );
      }
      if (!inClass && next === "b") out += "\\y";
      else if (!inClass && next === "B") out += "\\Y";
      else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (char === "]") inClass = false;
      out += char;
      continue;
    }
    if (char === "[") {
      inClass = true;
      out += char;
      if (pattern[index + 1] === "^") out += pattern[++index];
      if (pattern[index + 1] === "]") out += pattern[++index];
      continue;
    }
    if (char === "(" && pattern.startsWith("(?<", index) && !/^\(\?<[=!]/.test(pattern.slice(index))) {
      const close = pattern.indexOf(">", index);
      if (close < 0) throw new AppError("BAD_REQUEST", "This regular expression has an unfinished group name.");
      out += "(";
      index = close;
      continue;
    }
    out += char;
  }
  return `(?n)${wholeWord ? `\\y(?:${out})\\y` : out}`;
}

/** Exact text as a PostgreSQL ARE with editor-style whole-word boundaries (newline-sensitive). */
export function exactWholeWordRegex(text: string): string {
  return `(?n)${wholeWordRegex(escapeRegex(text), text)}`;
}

/** A path filter compiled to PostgreSQL regular expressions, each null when the filter has no such term. */
export interface PathFilter {
  /** Globs a path must match (one of them), case-sensitively. */
  include: string | null;
  /** Plain terms a path must contain (one of them, or match an include glob), case-insensitively. */
  substrings: string | null;
  /** Globs and terms a path must not match. */
  exclude: string | null;
}

/** Globs (`src/**\/*.ts`, `*.{ts,tsx}`), comma-separated, `!` to exclude; anything without wildcards is a substring. */
export function compilePathFilter(filter: string | undefined): PathFilter {
  const include: string[] = [];
  const exclude: string[] = [];
  const substrings: string[] = [];
  for (const raw of splitOutsideBraces(filter ?? "")) {
    const negated = raw.startsWith("!");
    const term = (negated ? raw.slice(1) : raw).trim().replace(/^\.\//, "");
    if (!term) continue;
    if (/[*?{]/.test(term)) (negated ? exclude : include).push(globToRegex(term));
    else if (negated) exclude.push(escapeRegex(term));
    else substrings.push(escapeRegex(term));
  }
  const either = (terms: string[]) => (terms.length ? terms.join("|") : null);
  return { include: either(include), substrings: either(substrings), exclude: either(exclude) };
}

function splitOutsideBraces(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "{") depth++;
    if (char === "}") depth = Math.max(0, depth - 1);
    if (char === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
    } else current += char;
  }
  parts.push(current.trim());
  return parts.filter(Boolean);
}

/** A glob as an anchored regex; without a `/` it matches a file name in any folder. */
function globToRegex(glob: string): string {
  const body = globBody(glob);
  return glob.includes("/") ? `^${body}$` : `(?:^|/)${body}$`;
}

function globBody(glob: string): string {
  let out = "";
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index]!;
    if (char === "*" && glob[index + 1] === "*") {
      index++;
      if (glob[index + 1] === "/") {
        index++;
        out += "(?:.*/)?";
      } else out += ".*";
    } else if (char === "*") out += "[^/]*";
    else if (char === "?") out += "[^/]";
    else if (char === "{") {
      const close = glob.indexOf("}", index);
      if (close < 0) {
        out += "\\{";
        continue;
      }
      out += `(?:${glob
        .slice(index + 1, close)
        .split(",")
        .map(globBody)
        .join("|")})`;
      index = close;
    } else out += escapeRegex(char);
  }
  return out;
}

/** The terms of a websearch-style query worth highlighting: words and "quoted phrases", not -excluded ones. */
function highlightTerms(query: string): string[] {
  const terms: string[] = [];
  for (const match of query.matchAll(/(-?)"([^"]+)"|(-?)(\S+)/g)) {
    const excluded = match[1] === "-" || match[3] === "-";
    const term = (match[2] ?? match[4] ?? "").trim();
    if (!excluded && term && term.toLowerCase() !== "or") terms.push(term);
  }
  return terms;
}

/** A RegExp of literal text only (linear time), with editor-style whole-word boundaries when asked. */
function literalMatcher(terms: string[], caseSensitive: boolean, wholeWord: boolean, wordChar: string): RegExp | null {
  const alternatives = terms
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map((term) => {
      const body = escapeRegex(term).replace(/\s+/g, "\\s+");
      if (!wholeWord) return body;
      const word = new RegExp(wordChar, "u");
      const before = word.test(term[0] ?? "") ? `(?<!${wordChar})` : "";
      const after = word.test(term[term.length - 1] ?? "") ? `(?!${wordChar})` : "";
      return `${before}${body}${after}`;
    });
  if (alternatives.length === 0) return null;
  return new RegExp(alternatives.join("|"), caseSensitive ? "gu" : "giu");
}

/** The highlighter of a words query: its terms as whole words (letters and digits), phrases with any spacing. */
export function wordsMatcher(query: string, caseSensitive: boolean): RegExp | null {
  return literalMatcher(highlightTerms(query), caseSensitive, true, "[\\p{L}\\p{N}]");
}

/** The matcher of exact text, whole words as an editor has them (letters, digits and `_`) when asked. */
export function exactMatcher(text: string, caseSensitive: boolean, wholeWord: boolean): RegExp | null {
  return literalMatcher([text], caseSensitive, wholeWord, "[\\p{L}\\p{N}_]");
}
