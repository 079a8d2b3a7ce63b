/**
 * What the server computes for every file it stores: type, hash, size and line count come from the content, here,
 * never from a client.
 */
import { createHash } from "node:crypto";
import { env } from "~/env";
import { decodeText } from "~/lib/bytes";
import { fileTypeForPath, mimeTypeForPath } from "~/lib/file-types";
import { baseName } from "~/lib/paths";
import { AppError } from "~/server/errors";
import { mib } from "../zip";

/** A file ready to be written: everything derived from its content is computed here, never taken from a client. */
export interface PreparedFile {
  path: string;
  name: string;
  fileType: string;
  mimeType: string;
  content: string;
  contentHash: string;
  encoding: "utf-8" | "base64";
  sizeBytes: number;
  lineCount: number;
  isBinary: boolean;
}

function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Lines as an editor counts them: "" has none, "a" and "a\n" have one. */
export function countLines(text: string): number {
  if (text === "") return 0;
  let lines = 1;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) lines++;
  return text.endsWith("\n") ? lines - 1 : lines;
}

export function checkSize(sizeBytes: number, limit: number, path: string) {
  if (sizeBytes > limit) {
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `${baseName(path)} is ${mib(sizeBytes)}; files may be at most ${mib(limit)}.`,
    );
  }
}

/** A text file; refuses NUL bytes (TEXT cannot hold them) and files over FILE_MAX_BYTES. */
export function prepareText(path: string, content: string, limit = env.FILE_MAX_BYTES): PreparedFile {
  if (content.includes("\u0000")) {
    throw new AppError(
      "BAD_REQUEST",
      `${baseName(path)} contains NUL bytes, so it cannot be stored as text: upload it as a binary file.`,
    );
  }
  const bytes = Buffer.from(content, "utf8");
  checkSize(bytes.length, limit, path);
  return {
    path,
    name: baseName(path),
    fileType: fileTypeForPath(path),
    mimeType: mimeTypeForPath(path),
    content,
    contentHash: sha256(bytes),
    encoding: "utf-8",
    sizeBytes: bytes.length,
    lineCount: countLines(content),
    isBinary: false,
  };
}

/** A binary file, stored base64; its size and hash are those of the decoded bytes. */
export function prepareBinary(path: string, bytes: Uint8Array, limit = env.FILE_MAX_BYTES): PreparedFile {
  checkSize(bytes.length, limit, path);
  return {
    path,
    name: baseName(path),
    fileType: fileTypeForPath(path, true),
    mimeType: mimeTypeForPath(path, true),
    content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64"),
    contentHash: sha256(bytes),
    encoding: "base64",
    sizeBytes: bytes.length,
    lineCount: 0,
    isBinary: true,
  };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes strict base64 (a `data:...;base64,` prefix and line breaks are tolerated). */
export function decodeBase64(value: string, what: string): Buffer {
  const body = value.replace(/^data:[^,]{0,200};base64,/, "").replace(/[\r\n]/g, "");
  if (body.length % 4 !== 0 || !BASE64.test(body)) throw new AppError("BAD_REQUEST", `${what} is not valid base64.`);
  return Buffer.from(body, "base64");
}

/** Text when the bytes are valid UTF-8 without NUL (a byte-order mark kept); otherwise binary, kept as base64. */
export function prepareBytes(path: string, bytes: Uint8Array, limit = env.FILE_MAX_BYTES): PreparedFile {
  const text = decodeText(bytes);
  return text === null ? prepareBinary(path, bytes, limit) : prepareText(path, text, limit);
}
