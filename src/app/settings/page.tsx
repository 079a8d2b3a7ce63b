import { Suspense } from "react";
import { GithubLink } from "~/components/settings/github-link";
import { PasswordForm } from "~/components/settings/password-form";
import { PreferencesForm } from "~/components/settings/preferences-form";
import { ProfileForm } from "~/components/settings/profile-form";
import { Card, CardHeader } from "~/components/ui/card";
import { githubEnabled } from "~/server/auth/config";
import { requireSession } from "~/server/auth/guards";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

export const metadata = { title: "Settings" };

export default async function SettingsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { github: refusal } = await searchParams;
  await requireSession("/settings");
  await getQueryClient().prefetchQuery(trpc.account.me.queryOptions());
  return (
    <HydrateClient>
      <div className="mx-auto max-w-3xl space-y-6 px-4 py-10">
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <Suspense>
          <Card>
            <CardHeader title="Profile" description="How other people see you on this install." />
            <ProfileForm />
          </Card>
          <Card>
            <CardHeader title="Preferences" description="Theme and editor settings, applied everywhere you sign in." />
            <PreferencesForm />
          </Card>
          <Card>
            <CardHeader title="Password" description="Changing it signs out every other session." />
            <PasswordForm />
          </Card>
          {githubEnabled && (
            <Card>
              <CardHeader title="GitHub" description="Sign in with GitHub too, once it is linked here." />
              <GithubLink refusal={typeof refusal === "string" ? refusal : undefined} />
            </Card>
          )}
        </Suspense>
      </div>
    </HydrateClient>
  );
}
