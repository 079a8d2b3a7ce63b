"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { Link2 } from "lucide-react";
import { signIn } from "next-auth/react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useTRPC } from "~/trpc/react";

const REFUSALS: Record<string, string> = {
  GithubLinkedElsewhere: "That GitHub account is linked to another Vaporform account already.",
  AccessDenied: "GitHub could not be linked to this account.",
};

/**
 * Links GitHub to the signed-in account (the only way for an administrator: GitHub sign-in never links itself to
 * one). `refusal` is the code the GitHub callback sent back here, if it refused.
 */
export function GithubLink({ refusal }: { refusal?: string }) {
  const trpc = useTRPC();
  const { data: me } = useSuspenseQuery(trpc.account.me.queryOptions());
  return (
    <div className="space-y-4">
      {refusal && <Alert tone="error">{REFUSALS[refusal] ?? "GitHub could not be linked. Try again."}</Alert>}
      {me.githubLinked ? (
        <p className="text-sm text-zinc-700 dark:text-zinc-300">GitHub is linked: you can sign in with it.</p>
      ) : (
        <Button variant="secondary" onClick={() => void signIn("github", { callbackUrl: "/settings" })}>
          <Link2 className="size-4" aria-hidden /> Link GitHub
        </Button>
      )}
    </div>
  );
}
