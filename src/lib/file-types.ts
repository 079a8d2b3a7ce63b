/**
 * What a file is, from its name: the stored `file_type`, its MIME type, the Monaco language id the editor uses,
 * and whether the IDE can preview it as an image. Client-safe.
 */
import { baseName } from "~/lib/paths";

interface FileKind {
  /** Stored in project_files.file_type (at most 50 characters). */
  type: string;
  mime: string;
  /** Monaco language id. */
  language: string;
}

const text = (type: string, mime: string, language = type): FileKind => ({ type, mime, language });
const binary = (type: string, mime: string): FileKind => ({ type, mime, language: "plaintext" });

const BY_EXTENSION: Record<string, FileKind> = {
  ts: text("typescript", "text/typescript"),
  tsx: text("typescript", "text/tsx"),
  mts: text("typescript", "text/typescript"),
  cts: text("typescript", "text/typescript"),
  js: text("javascript", "text/javascript"),
  jsx: text("javascript", "text/jsx"),
  mjs: text("javascript", "text/javascript"),
  cjs: text("javascript", "text/javascript"),
  json: text("json", "application/json"),
  jsonc: text("json", "application/json"),
  json5: text("json", "application/json5"),
  map: text("json", "application/json"),
  css: text("css", "text/css"),
  scss: text("scss", "text/x-scss"),
  sass: text("scss", "text/x-sass"),
  less: text("less", "text/x-less"),
  html: text("html", "text/html"),
  htm: text("html", "text/html"),
  vue: text("html", "text/x-vue"),
  svelte: text("html", "text/x-svelte"),
  astro: text("html", "text/x-astro"),
  md: text("markdown", "text/markdown"),
  mdx: text("markdown", "text/mdx"),
  markdown: text("markdown", "text/markdown"),
  py: text("python", "text/x-python"),
  pyi: text("python", "text/x-python"),
  rb: text("ruby", "text/x-ruby"),
  go: text("go", "text/x-go"),
  rs: text("rust", "text/x-rust"),
  java: text("java", "text/x-java"),
  kt: text("kotlin", "text/x-kotlin"),
  kts: text("kotlin", "text/x-kotlin"),
  swift: text("swift", "text/x-swift"),
  c: text("c", "text/x-c"),
  h: text("c", "text/x-c"),
  cpp: text("cpp", "text/x-c++"),
  cc: text("cpp", "text/x-c++"),
  hpp: text("cpp", "text/x-c++"),
  cs: text("csharp", "text/x-csharp"),
  php: text("php", "application/x-php"),
  lua: text("lua", "text/x-lua"),
  r: text("r", "text/x-r"),
  dart: text("dart", "text/x-dart"),
  scala: text("scala", "text/x-scala"),
  sql: text("sql", "application/sql"),
  graphql: text("graphql", "application/graphql"),
  gql: text("graphql", "application/graphql"),
  prisma: text("prisma", "text/plain", "plaintext"),
  yaml: text("yaml", "application/yaml"),
  yml: text("yaml", "application/yaml"),
  toml: text("toml", "application/toml", "ini"),
  ini: text("ini", "text/plain"),
  cfg: text("ini", "text/plain"),
  conf: text("ini", "text/plain"),
  xml: text("xml", "application/xml"),
  svg: text("svg", "image/svg+xml", "xml"),
  sh: text("shell", "application/x-sh"),
  bash: text("shell", "application/x-sh"),
  zsh: text("shell", "application/x-sh"),
  ps1: text("powershell", "text/plain"),
  bat: text("bat", "text/plain"),
  txt: text("plaintext", "text/plain"),
  log: text("plaintext", "text/plain"),
  csv: text("plaintext", "text/csv"),
  env: text("dotenv", "text/plain", "plaintext"),
  lock: text("plaintext", "text/plain"),
  png: binary("image", "image/png"),
  jpg: binary("image", "image/jpeg"),
  jpeg: binary("image", "image/jpeg"),
  gif: binary("image", "image/gif"),
  webp: binary("image", "image/webp"),
  avif: binary("image", "image/avif"),
  bmp: binary("image", "image/bmp"),
  ico: binary("image", "image/x-icon"),
  woff: binary("font", "font/woff"),
  woff2: binary("font", "font/woff2"),
  ttf: binary("font", "font/ttf"),
  otf: binary("font", "font/otf"),
  pdf: binary("document", "application/pdf"),
  zip: binary("archive", "application/zip"),
  gz: binary("archive", "application/gzip"),
  tar: binary("archive", "application/x-tar"),
  mp3: binary("audio", "audio/mpeg"),
  wav: binary("audio", "audio/wav"),
  mp4: binary("video", "video/mp4"),
  webm: binary("video", "video/webm"),
  wasm: binary("binary", "application/wasm"),
};

const BY_NAME: Record<string, FileKind> = {
  dockerfile: text("dockerfile", "text/plain"),
  makefile: text("makefile", "text/plain", "plaintext"),
  ".gitignore": text("ignore", "text/plain", "plaintext"),
  ".dockerignore": text("ignore", "text/plain", "plaintext"),
  ".npmrc": text("ini", "text/plain"),
  ".editorconfig": text("ini", "text/plain"),
  ".env": text("dotenv", "text/plain", "plaintext"),
  ".gitkeep": text("plaintext", "text/plain"),
};

const UNKNOWN_TEXT = text("plaintext", "text/plain");
const UNKNOWN_BINARY = binary("binary", "application/octet-stream");

/** Images a browser can show in an <img> (the IDE previews these instead of opening them as text). */
const PREVIEWABLE_IMAGES = new Set(["png", "jpg", "jpeg", "gif", "webp", "avif", "bmp", "ico", "svg"]);

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot + 1).toLowerCase();
}

function kindOf(path: string, isBinary = false): FileKind {
  const name = baseName(path).toLowerCase();
  const kind =
    BY_NAME[name] ?? (name.startsWith(".env.") ? BY_NAME[".env"] : undefined) ?? BY_EXTENSION[extensionOf(name)];
  if (kind) return kind;
  return isBinary ? UNKNOWN_BINARY : UNKNOWN_TEXT;
}

/** The Monaco language id for a path ("plaintext" when unknown). */
export function languageForPath(path: string): string {
  return kindOf(path).language;
}

/** The MIME type for a path; unknown names are text/plain, or application/octet-stream when binary. */
export function mimeTypeForPath(path: string, isBinary = false): string {
  return kindOf(path, isBinary).mime;
}

/** The `file_type` stored for a path (e.g. "typescript", "image", "binary"). */
export function fileTypeForPath(path: string, isBinary = false): string {
  return kindOf(path, isBinary).type;
}

/** Whether the IDE can show the file as an image. */
export function isPreviewableImage(path: string): boolean {
  return PREVIEWABLE_IMAGES.has(extensionOf(baseName(path)));
}
