/** The signed-in user's profile and preferences. */
import {
  readPreferences,
  type TPreferences,
  type TUpdatePreferencesInput,
  type TUpdateProfileInput,
} from "~/lib/schemas/account";
import type { Database } from "~/server/db/client";
import { avatarInitials } from "~/lib/format";
import { AppError } from "~/server/errors";

/** The signed-in user's own account: profile, preferences, and what the settings pages show. */
export async function getMe(options: { db: Database; userId: string }) {
  const user = await options.db.user.findUnique({
    where: { id: options.userId },
    select: {
      id: true,
      email: true,
      username: true,
      fullName: true,
      avatarUrl: true,
      bio: true,
      location: true,
      websiteUrl: true,
      githubUsername: true,
      role: true,
      emailVerified: true,
      isPremium: true,
      passwordHash: true,
      preferences: true,
      createdAt: true,
      lastLoginAt: true,
      _count: { select: { oauthAccounts: true } },
    },
  });
  if (!user) throw new AppError("NOT_FOUND", "Account not found.");
  const { passwordHash, preferences, _count, ...rest } = user;
  return {
    ...rest,
    role: user.role === "admin" ? ("admin" as const) : ("user" as const),
    emailVerified: user.emailVerified,
    isPremium: user.isPremium === true,
    /** Shown in place of a picture when avatarUrl is null. */
    initials: avatarInitials(user.fullName),
    /** False for an account made through GitHub that never set one (changing it then needs a reset link). */
    hasPassword: passwordHash !== null,
    /** Whether a GitHub identity signs in to this account. */
    githubLinked: _count.oauthAccounts > 0,
    preferences: readPreferences(preferences),
  };
}

/** Updates the profile: a field left out stays as it is, null clears it. Answers the account as getMe does. */
export async function updateProfile(options: { db: Database; userId: string } & TUpdateProfileInput) {
  const { db, userId, fullName, avatarUrl, bio, location, websiteUrl, githubUsername } = options;
  await db.user.update({
    where: { id: userId },
    data: { fullName, avatarUrl, bio, location, websiteUrl, githubUsername },
    select: { id: true },
  });
  return getMe({ db, userId });
}

/**
 * Changes some preferences, leaving the others (merged in the database, so two tabs saving different fields do not
 * undo each other). Answers all of them.
 */
export async function updatePreferences(options: {
  db: Database;
  userId: string;
  preferences: TUpdatePreferencesInput;
}): Promise<TPreferences> {
  const [row] = await options.db.$queryRaw<{ preferences: unknown }[]>`
    UPDATE users
       SET preferences = CASE WHEN jsonb_typeof(preferences) = 'object' THEN preferences ELSE '{}'::jsonb END
                         || ${JSON.stringify(options.preferences)}::jsonb
     WHERE id = ${options.userId}::uuid
    RETURNING preferences`;
  if (!row) throw new AppError("NOT_FOUND", "Account not found.");
  return readPreferences(row.preferences);
}
