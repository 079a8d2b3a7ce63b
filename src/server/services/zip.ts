/**
 * Zip reading and writing for project import/export, on fflate.
 *
 * Reading walks the central directory itself and inflates each entry in small chunks, counting the bytes that
 * really come out: sizes declared in an archive are never trusted, so a zip bomb stops at the first byte over a
 * limit instead of filling memory.
 */
import { crc32 } from "node:zlib";
import { Inflate, Zip, ZipDeflate, ZipPassThrough } from "fflate";
import { AppError } from "~/server/errors";

export interface ZipLimits {
  maxFileBytes: number;
  maxTotalBytes: number;
  maxFiles: number;
}

export interface ZipEntry {
  /** The name as stored in the archive (not yet validated). */
  name: string;
  data: Uint8Array;
}

/** Why an entry is left out, or null to read it. Called with the raw entry name before anything is inflated. */
export type ZipEntryFilter = (name: string) => string | null;

export interface ZipSkip {
  name: string;
  reason: string;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** Compressed bytes pushed per inflate step: at DEFLATE's ~1:1032 maximum, at most ~8 MiB come out per step. */
const INFLATE_STEP = 8 * 1024;
const utf8 = new TextDecoder("utf-8", { fatal: true });
const latin1 = new TextDecoder("latin1");

function corrupt(detail: string): AppError {
  return new AppError("BAD_REQUEST", `This file is not a valid zip archive (${detail}).`);
}

/** A byte count as limits are shown to the user: "2.5 MiB". */
export function mib(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
}

/**
 * Reads every file entry of a zip archive within `limits`. Directory entries and symbolic links are left out;
 * `filter` may leave out others (e.g. node_modules) before they are inflated. Throws AppError with a message for
 * the user on a corrupt, encrypted or oversized archive.
 */
export function readZip(
  archive: Uint8Array,
  limits: ZipLimits,
  filter: ZipEntryFilter = () => null,
): { entries: ZipEntry[]; skipped: ZipSkip[] } {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  const u16 = (offset: number) => view.getUint16(offset, true);
  const u32 = (offset: number) => view.getUint32(offset, true);
  const inBounds = (offset: number, length: number) => offset >= 0 && length >= 0 && offset + length <= archive.length;

  // End of central directory: the last 22 bytes, or earlier when the archive has a comment (at most 65,535 bytes).
  let eocd = -1;
  for (let offset = archive.length - 22; offset >= Math.max(0, archive.length - 22 - 65_535); offset--) {
    if (u32(offset) === EOCD_SIGNATURE) {
      eocd = offset;
      break;
    }
  }
  if (eocd < 0) throw corrupt("no central directory");
  let entryCount = u16(eocd + 10);
  let directorySize = u32(eocd + 12);
  let directoryOffset = u32(eocd + 16);
  if (entryCount === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (!inBounds(locator, 20) || u32(locator) !== ZIP64_LOCATOR_SIGNATURE) throw corrupt("broken zip64 locator");
    const zip64 = Number(view.getBigUint64(locator + 8, true));
    if (!inBounds(zip64, 56) || u32(zip64) !== ZIP64_EOCD_SIGNATURE) throw corrupt("broken zip64 directory");
    entryCount = Number(view.getBigUint64(zip64 + 32, true));
    directorySize = Number(view.getBigUint64(zip64 + 40, true));
    directoryOffset = Number(view.getBigUint64(zip64 + 48, true));
  }
  if (!inBounds(directoryOffset, directorySize)) throw corrupt("central directory out of bounds");

  const entries: ZipEntry[] = [];
  const skipped: ZipSkip[] = [];
  let totalBytes = 0;
  let offset = directoryOffset;
  for (let index = 0; index < entryCount; index++) {
    if (!inBounds(offset, 46) || u32(offset) !== CENTRAL_SIGNATURE) throw corrupt("broken central directory");
    const flags = u16(offset + 8);
    const method = u16(offset + 10);
    const expectedCrc = u32(offset + 16);
    let compressedSize = u32(offset + 20);
    const nameLength = u16(offset + 28);
    const extraLength = u16(offset + 30);
    const commentLength = u16(offset + 32);
    const externalAttributes = u32(offset + 38);
    let localOffset = u32(offset + 42);
    if (!inBounds(offset + 46, nameLength + extraLength + commentLength)) throw corrupt("broken central directory");
    const nameBytes = archive.subarray(offset + 46, offset + 46 + nameLength);
    let name: string;
    try {
      name = utf8.decode(nameBytes);
    } catch {
      // Old archivers store names in a legacy code page without saying so.
      name = latin1.decode(nameBytes);
    }
    // Zip64 extra field: the 64-bit values of whichever 32-bit fields are saturated, in a fixed order.
    const extraStart = offset + 46 + nameLength;
    for (let extra = extraStart; extra + 4 <= extraStart + extraLength;) {
      const id = u16(extra);
      const size = u16(extra + 2);
      if (id === 0x0001) {
        let field = extra + 4;
        if (u32(offset + 24) === 0xffffffff) field += 8;
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(view.getBigUint64(field, true));
          field += 8;
        }
        if (localOffset === 0xffffffff) localOffset = Number(view.getBigUint64(field, true));
      }
      extra += 4 + size;
    }
    offset += 46 + nameLength + extraLength + commentLength;

    const isDirectory = name.endsWith("/");
    const unixType = (externalAttributes >>> 16) & 0o170000;
    if (isDirectory || unixType === 0o040000) continue;
    if (unixType === 0o120000) {
      skipped.push({ name, reason: "symbolic links are not imported" });
      continue;
    }
    const reason = filter(name);
    if (reason) {
      skipped.push({ name, reason });
      continue;
    }
    if (flags & 1) throw new AppError("BAD_REQUEST", `"${name}" is encrypted; import an archive without a password.`);
    if (entries.length >= limits.maxFiles) {
      throw new AppError(
        "PAYLOAD_TOO_LARGE",
        `The archive has more than ${limits.maxFiles.toLocaleString("en-US")} files.`,
      );
    }

    if (!inBounds(localOffset, 30) || u32(localOffset) !== LOCAL_SIGNATURE) throw corrupt(`broken entry "${name}"`);
    const dataStart = localOffset + 30 + u16(localOffset + 26) + u16(localOffset + 28);
    if (!inBounds(dataStart, compressedSize)) throw corrupt(`entry "${name}" is truncated`);
    const compressed = archive.subarray(dataStart, dataStart + compressedSize);

    const chunks: Uint8Array[] = [];
    let size = 0;
    const take = (chunk: Uint8Array) => {
      size += chunk.length;
      totalBytes += chunk.length;
      if (size > limits.maxFileBytes) {
        throw new AppError("PAYLOAD_TOO_LARGE", `"${name}" is larger than ${mib(limits.maxFileBytes)} once unpacked.`);
      }
      if (totalBytes > limits.maxTotalBytes) {
        throw new AppError("PAYLOAD_TOO_LARGE", `The archive unpacks to more than ${mib(limits.maxTotalBytes)}.`);
      }
      if (chunk.length) chunks.push(chunk);
    };
    if (method === 0) {
      take(compressed.slice());
    } else if (method === 8) {
      const inflate = new Inflate((chunk) => take(chunk));
      try {
        for (let at = 0; at < compressed.length; at += INFLATE_STEP) {
          const end = Math.min(compressed.length, at + INFLATE_STEP);
          inflate.push(compressed.subarray(at, end), end === compressed.length);
        }
        if (compressed.length === 0) inflate.push(new Uint8Array(0), true);
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw corrupt(`entry "${name}" cannot be unpacked`);
      }
    } else {
      throw new AppError(
        "BAD_REQUEST",
        `"${name}" uses a compression method this import does not support (${method}).`,
      );
    }
    const data = concat(chunks, size);
    if (crc32(data) !== expectedCrc) throw corrupt(`entry "${name}" is damaged (checksum mismatch)`);
    entries.push({ name, data });
  }
  return { entries, skipped };
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

const STORED_EXTENSIONS = /\.(png|jpe?g|gif|webp|avif|ico|woff2?|zip|gz|tgz|br|zst|mp3|mp4|webm|pdf)$/i;

export interface ZipFile {
  path: string;
  data: Uint8Array;
  modifiedAt?: Date | null;
}

/**
 * A zip archive of `files` as a stream (already-compressed formats are stored, the rest deflated). A file is taken
 * from `files` only when the reader wants more, so the archive is never whole in memory and its first bytes leave
 * before its last file is read.
 */
export function zipStream(files: AsyncIterable<ZipFile>): ReadableStream<Uint8Array> {
  const iterator = files[Symbol.asyncIterator]();
  let zip: Zip;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      zip = new Zip((error, chunk, final) => {
        if (error) return controller.error(error);
        controller.enqueue(chunk);
        if (final) controller.close();
      });
    },
    async pull() {
      const next = await iterator.next();
      if (next.done) return zip.end();
      const { path, data, modifiedAt } = next.value;
      const entry = STORED_EXTENSIONS.test(path) ? new ZipPassThrough(path) : new ZipDeflate(path, { level: 6 });
      if (modifiedAt && modifiedAt.getUTCFullYear() >= 1980) entry.mtime = modifiedAt;
      zip.add(entry);
      entry.push(data, true);
    },
    async cancel() {
      zip.terminate();
      await iterator.return?.();
    },
  });
}
