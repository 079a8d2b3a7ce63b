"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useTRPC } from "~/trpc/react";

/**
 * Confirms an address from a mailed link. It takes a click, not just the visit: mail scanners that open links
 * must not use up the single-use token.
 */
export function ConfirmEmail({ token }: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const verify = useMutation(trpc.account.verifyEmail.mutationOptions({ onSuccess: () => router.refresh() }));
  if (verify.isSuccess) {
    return (
      <div className="space-y-4">
        <Alert tone="success">Your e-mail address is confirmed. Thank you!</Alert>
        <Button asChild className="w-full">
          <Link href="/">Continue</Link>
        </Button>
      </div>
    );
  }
  return (
    <div className="space-y-4">
      {verify.isError && <Alert tone="error">{verify.error.message}</Alert>}
      <Button className="w-full" pending={verify.isPending} onClick={() => verify.mutate({ token })}>
        Confirm my e-mail address
      </Button>
    </div>
  );
}

/** For a signed-in, unverified user: send the link again. */
export function ResendVerification() {
  const trpc = useTRPC();
  const resend = useMutation(trpc.account.resendVerification.mutationOptions());
  return (
    <div className="space-y-3">
      {resend.isSuccess && <Alert tone="success">We sent a new link. It is valid for 24 hours.</Alert>}
      {resend.isError && <Alert tone="error">{resend.error.message}</Alert>}
      <Button variant="secondary" pending={resend.isPending} onClick={() => resend.mutate()}>
        Send the link again
      </Button>
    </div>
  );
}
