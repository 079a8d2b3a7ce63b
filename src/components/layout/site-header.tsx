import Link from "next/link";
import { Button } from "~/components/ui/button";
import { ThemeToggle } from "~/components/ui/theme-toggle";
import type { SessionUser } from "~/server/auth/session";
import { UserMenu } from "./user-menu";

/** The bar on every page: home, the template gallery, theme, and the account menu or the way in. */
export function SiteHeader({ user, mailboxOpen }: { user: SessionUser | null; mailboxOpen: boolean }) {
  return (
    <header className="border-b border-zinc-200 dark:border-zinc-800">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-2 px-4 sm:gap-4">
        <div className="flex items-center gap-2 sm:gap-4">
          <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
            <span
              aria-hidden
              className="inline-block size-6 rounded-md bg-gradient-to-br from-brand-400 to-brand-700"
            />
            {/* On a phone the mark alone leaves room for the nav; the name stays for screen readers. */}
            <span className="max-sm:sr-only">Vaporform</span>
          </Link>
          <nav aria-label="Main" className="flex items-center gap-1">
            <Button asChild variant="ghost" size="sm">
              <Link href="/templates">Templates</Link>
            </Button>
            {user && (
              <Button asChild variant="ghost" size="sm">
                <Link href="/projects">Projects</Link>
              </Button>
            )}
          </nav>
        </div>
        <nav aria-label="Account" className="flex items-center gap-1 sm:gap-2">
          <ThemeToggle signedIn={Boolean(user)} />
          {user ? (
            <UserMenu
              user={{
                fullName: user.fullName,
                username: user.username,
                email: user.email,
                avatarUrl: user.avatarUrl,
                role: user.role,
              }}
              showMailbox={mailboxOpen || user.role === "admin"}
            />
          ) : (
            <>
              <Button asChild variant="ghost" size="sm">
                <Link href="/sign-in">Sign in</Link>
              </Button>
              <Button asChild size="sm">
                <Link href="/sign-up">Sign up</Link>
              </Button>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}
