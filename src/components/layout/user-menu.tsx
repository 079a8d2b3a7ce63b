"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { BarChart3, Gauge, LogOut, Mail, Settings, Shield, Tags, Timer } from "lucide-react";
import Link from "next/link";
import { signOut } from "next-auth/react";
import { Avatar } from "~/components/ui/avatar";

export interface MenuUser {
  fullName: string;
  username: string;
  email: string;
  avatarUrl: string | null;
  role: "user" | "admin";
}

const itemClasses =
  "flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800";

/** The signed-in user's menu: settings, own usage, admin pages, mailbox, sign out. */
export function UserMenu({ user, showMailbox }: { user: MenuUser; showMailbox: boolean }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        aria-label={`Account menu for ${user.fullName}`}
        data-testid="user-menu"
        className="rounded-full focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
      >
        <Avatar name={user.fullName} url={user.avatarUrl} size={32} />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={8}
          className="z-50 min-w-56 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          <div className="px-2 py-1.5">
            <p className="text-sm font-medium">{user.fullName}</p>
            <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">
              @{user.username} · {user.email}
            </p>
          </div>
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
          <DropdownMenu.Item asChild className={itemClasses}>
            <Link href="/settings">
              <Settings className="size-4" aria-hidden /> Settings
            </Link>
          </DropdownMenu.Item>
          <DropdownMenu.Item asChild className={itemClasses}>
            <Link href="/usage">
              <Gauge className="size-4" aria-hidden /> My usage
            </Link>
          </DropdownMenu.Item>
          {user.role === "admin" && (
            <>
              <DropdownMenu.Item asChild className={itemClasses}>
                <Link href="/admin/users">
                  <Shield className="size-4" aria-hidden /> Admin: users
                </Link>
              </DropdownMenu.Item>
              <DropdownMenu.Item asChild className={itemClasses}>
                <Link href="/admin/usage">
                  <BarChart3 className="size-4" aria-hidden /> Admin: usage
                </Link>
              </DropdownMenu.Item>
              <DropdownMenu.Item asChild className={itemClasses}>
                <Link href="/admin/prices">
                  <Tags className="size-4" aria-hidden /> Admin: prices
                </Link>
              </DropdownMenu.Item>
              <DropdownMenu.Item asChild className={itemClasses}>
                <Link href="/admin/jobs">
                  <Timer className="size-4" aria-hidden /> Admin: jobs
                </Link>
              </DropdownMenu.Item>
            </>
          )}
          {showMailbox && (
            <DropdownMenu.Item asChild className={itemClasses}>
              <Link href="/mailbox">
                <Mail className="size-4" aria-hidden /> Mailbox
              </Link>
            </DropdownMenu.Item>
          )}
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
          <DropdownMenu.Item className={itemClasses} onSelect={() => void signOut({ callbackUrl: "/" })}>
            <LogOut className="size-4" aria-hidden /> Sign out
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
