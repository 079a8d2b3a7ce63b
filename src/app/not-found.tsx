import Link from "next/link";
import { Button } from "~/components/ui/button";

export const metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <div className="mx-auto flex max-w-md flex-col items-center px-4 py-24 text-center">
      <p className="text-sm font-semibold text-brand-600 dark:text-brand-400">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">This page does not exist</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">
        Or it belongs to someone else. Check the address, or go back to your projects.
      </p>
      <div className="mt-6 flex gap-3">
        <Button asChild>
          <Link href="/projects">Your projects</Link>
        </Button>
        <Button asChild variant="secondary">
          <Link href="/">Home</Link>
        </Button>
      </div>
    </div>
  );
}
