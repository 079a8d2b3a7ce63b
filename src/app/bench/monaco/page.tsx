import { notFound } from "next/navigation";
import { connection } from "next/server";
import { env } from "~/env";
import { BareMonaco } from "./bare-monaco";

export const metadata = { title: "Monaco alone (benchmark)" };

/**
 * The baseline of `npm run bench:typing`: Monaco alone, from this build's own Monaco chunks and workers, with the
 * IDE's editor options. Exists only on a server started with VAPORFORM_BENCH_PAGES=true; otherwise a 404.
 */
export default async function BenchMonacoPage() {
  // Decided per request on the running server, never frozen into the build by prerendering.
  await connection();
  if (!env.VAPORFORM_BENCH_PAGES) notFound();
  return <BareMonaco />;
}
