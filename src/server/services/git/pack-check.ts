/**
 * What a fetched pack unpacks to, known before isomorphic-git indexes it. The download limit counts compressed
 * bytes, and a pack compresses without bound (a file of zeros about 1000:1, a delta that copies its base many times
 * far more), while isomorphic-git inflates and hashes every object in memory. So the answer of `git-upload-pack`
 * is read here first: its pkt-lines (side-band or not) give the pack, each object's header its size (a delta's own
 * header the size of the object it makes), and each object is inflated once into a buffer no larger than the size
 * it declares, only to find where the next begins. One object over `maxObjectBytes`, all of them over
 * `maxUnpackedBytes`, or more than `maxObjects` objects, and nothing is handed on. Memory: the pack (already bounded
 * by the download limit) and one object at a time.
 */
import { inflateSync } from "node:zlib";

export interface PackLimits {
  maxObjectBytes: number;
  maxUnpackedBytes: number;
  maxObjects: number;
}

/** The pack unpacks to more than a limit allows. */
export class PackTooLarge extends Error {
  override name = "PackTooLarge";
  constructor(readonly what: "object" | "total" | "count") {
    super(`The pack is over its ${what} limit.`);
  }
}

/** The answer is not an upload-pack answer this check can read (refused: an unread pack is an unchecked one). */
export class PackUnreadable extends Error {
  override name = "PackUnreadable";
  constructor(detail: string) {
    super(`The remote's answer is not a Git pack that can be read (${detail}).`);
  }
}

/** What is counted across the packs of one operation (a pull may fetch several as it deepens). */
export interface PackTally {
  objects: number;
  unpacked: number;
}

const PACK_SIGNATURE = Buffer.from("PACK");

/** The pack inside an upload-pack answer: side-band channel 1, or the raw bytes after the pkt-lines. */
export function packOfUploadResponse(response: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < response.length) {
    if (response.subarray(offset, offset + 4).equals(PACK_SIGNATURE)) {
      parts.push(response.subarray(offset));
      break;
    }
    const header = response.subarray(offset, offset + 4).toString("latin1");
    if (!/^[0-9a-f]{4}$/i.test(header)) throw new PackUnreadable("a malformed pkt-line");
    const length = Number.parseInt(header, 16);
    if (length === 0) {
      offset += 4;
      continue;
    }
    if (length < 5 || offset + length > response.length) throw new PackUnreadable("a truncated pkt-line");
    const payload = response.subarray(offset + 4, offset + length);
    // Channel 1 is pack data; 2 progress, 3 an error (isomorphic-git reports it). Lines of text (NAK, ACK,
    // shallow) start with a letter, never with the bytes 1 to 3.
    if (payload[0] === 1) parts.push(payload.subarray(1));
    offset += length;
  }
  return parts.length === 0 ? null : Buffer.concat(parts);
}

/** A pack object's type and size (a variable-length header) at `offset`. */
function objectHeader(pack: Buffer, offset: number): { type: number; size: number; next: number } {
  let byte = pack[offset];
  if (byte === undefined) throw new PackUnreadable("a truncated object header");
  const type = (byte >> 4) & 7;
  let size = byte & 15;
  let factor = 16;
  let next = offset + 1;
  while (byte & 0x80) {
    byte = pack[next++];
    if (byte === undefined) throw new PackUnreadable("a truncated object header");
    size += (byte & 0x7f) * factor;
    factor *= 128;
  }
  return { type, size, next };
}

/** A delta's size varint (little-endian base 128) at `offset` of `data`. */
function deltaSize(data: Buffer, offset: number): { size: number; next: number } {
  let size = 0;
  let factor = 1;
  let next = offset;
  for (;;) {
    const byte = data[next++];
    if (byte === undefined) throw new PackUnreadable("a truncated delta");
    size += (byte & 0x7f) * factor;
    factor *= 128;
    if (!(byte & 0x80)) return { size, next };
  }
}

/** Inflates the zlib stream at `offset`, refusing more than `limit` bytes out; answers the bytes and the input used. */
function inflateAt(pack: Buffer, offset: number, limit: number): { data: Buffer; used: number } {
  try {
    const result = inflateSync(pack.subarray(offset), {
      info: true,
      maxOutputLength: Math.max(1, limit),
    }) as unknown as {
      buffer: Buffer;
      engine: { bytesWritten: number };
    };
    return { data: result.buffer, used: result.engine.bytesWritten };
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE")
      throw new PackUnreadable("an object larger than it says");
    throw new PackUnreadable("data that does not inflate");
  }
}

/** Checks every object of `pack` against `limits`, adding to `tally`; throws PackTooLarge or PackUnreadable. */
export function checkPack(pack: Buffer, limits: PackLimits, tally: PackTally): void {
  if (pack.length < 12 || !pack.subarray(0, 4).equals(PACK_SIGNATURE)) throw new PackUnreadable("no pack header");
  const count = pack.readUInt32BE(8);
  if (tally.objects + count > limits.maxObjects) throw new PackTooLarge("count");
  let offset = 12;
  for (let index = 0; index < count; index++) {
    const header = objectHeader(pack, offset);
    offset = header.next;
    if (header.size > limits.maxObjectBytes) throw new PackTooLarge("object");
    let unpacked = header.size;
    if (header.type === 6) {
      // OFS_DELTA: the base's offset, a varint of its own.
      while ((pack[offset] ?? 0) & 0x80) offset++;
      offset++;
    } else if (header.type === 7) {
      offset += 20; // REF_DELTA: the base's id.
    } else if (header.type < 1 || header.type > 4) {
      throw new PackUnreadable(`an object of type ${header.type}`);
    }
    const { data, used } = inflateAt(pack, offset, header.size);
    offset += used;
    if (header.type === 6 || header.type === 7) {
      // A delta starts with its base's size and the size of the object it makes: that is what unpacks.
      const target = deltaSize(data, deltaSize(data, 0).next).size;
      if (target > limits.maxObjectBytes) throw new PackTooLarge("object");
      unpacked = target;
    }
    tally.unpacked += unpacked;
    if (tally.unpacked > limits.maxUnpackedBytes) throw new PackTooLarge("total");
    tally.objects++;
  }
}
