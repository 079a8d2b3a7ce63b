import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { SiteHeader } from "~/components/layout/site-header";
import { Toaster } from "~/components/ui/toast";
import { devMailboxOpen } from "~/env";
import { themeScript } from "~/lib/theme";
import { getSession } from "~/server/auth/session";
import { TRPCReactProvider } from "~/trpc/react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Vaporform", template: "%s · Vaporform" },
  description: "A self-hostable AI development platform in your browser.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [session, requestHeaders] = await Promise.all([getSession(), headers()]);
  const nonce = requestHeaders.get("x-nonce") ?? undefined;
  // A signed-in user's theme preference wins over this browser's last choice; "system" follows the OS.
  const theme = session?.user.preferences.theme ?? "system";
  return (
    <html lang="en" className={theme === "dark" ? "dark" : undefined} suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript(theme) }} />
      </head>
      <body className="min-h-dvh">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-zinc-900"
        >
          Skip to content
        </a>
        <TRPCReactProvider>
          <SiteHeader user={session?.user ?? null} mailboxOpen={devMailboxOpen} />
          <main id="main">{children}</main>
          <Toaster />
        </TRPCReactProvider>
      </body>
    </html>
  );
}
