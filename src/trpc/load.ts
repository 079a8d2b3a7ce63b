import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";

/** Runs a server-side query for a page; a NOT_FOUND (including someone else's project) becomes the 404 page. */
export async function loadOrNotFound<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    if (error instanceof TRPCError && error.code === "BAD_REQUEST") notFound();
    throw error;
  }
}
