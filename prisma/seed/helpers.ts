/** Seed helpers: stable ids, a seeded random source and dates. */
import { createHash } from "node:crypto";
import type { ModelName } from "./demo-content";

export const DAY_MS = 86_400_000;
export type Model = ModelName;

const SEED_NAMESPACE = Buffer.from("8f1d6c2e5b7a4f0e9c3d2a1b0e9f8d7c", "hex");

/** A UUID v5 (SHA-1, RFC 9562) of `name` in the seed's namespace: the same name gives the same id on every run. */
export function seedUuid(name: string): string {
  const digest = createHash("sha1").update(SEED_NAMESPACE).update(name).digest().subarray(0, 16);
  digest.writeUInt8((digest.readUInt8(6) & 0x0f) | 0x50, 6);
  digest.writeUInt8((digest.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = digest.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * mulberry32: a small deterministic PRNG, so the generated usage is the same on every fresh database. 32-bit integer
 * mixing and an exact division by 2^32: the same numbers on every JavaScript runtime (no transcendental Math).
 */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(next() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  };
  const weighted = <T>(entries: readonly (readonly [T, number])[]): T => {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return entries[entries.length - 1]![0];
  };
  return { next, int, pick, weighted };
}

/** `daysAgo` days before `now`'s UTC day, at `time` (HH:MM, UTC). */
export function at(now: Date, daysAgo: number, time: string): Date {
  const [hours, minutes] = time.split(":").map(Number);
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysAgo * DAY_MS;
  return new Date(day + ((hours ?? 0) * 60 + (minutes ?? 0)) * 60_000);
}
