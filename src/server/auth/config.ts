import { getServerSession, type NextAuthOptions } from "next-auth";
import CredentialsModule from "next-auth/providers/credentials";
import GitHubModule from "next-auth/providers/github";
import { cookies, headers } from "next/headers";
import { env } from "~/env";
import { ZSignInInput } from "~/lib/schemas/account";
import { authenticate } from "~/server/auth/authenticate";
import { readCookie } from "~/server/auth/cookies";
import { DEVICE_COOKIE, DEVICE_TOKEN_LIFETIME_SECONDS } from "~/server/auth/device";
import { linkGithubAccount, loadSessionUser, type SessionUser } from "~/server/auth/session-user";
import { clientIpFrom, isHttpsRequest } from "~/server/client-ip";
import { db } from "~/server/db/client";
import { AppError } from "~/server/errors";

// next-auth 4 ships CommonJS: bundlers hand us its default export, plain Node (scripts, benchmarks) the whole
// module object. Accept both.
function defaultExport<T>(module: T): T {
  return (module as { default?: T }).default ?? module;
}
const CredentialsProvider = defaultExport(CredentialsModule);
const GitHubProvider = defaultExport(GitHubModule);

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    /** users.session_version when the session began: a password change or deactivation ends it. */
    sv?: number;
  }
}

declare module "next-auth" {
  interface User {
    sessionVersion?: number;
  }
}

const THIRTY_DAYS = 30 * 24 * 60 * 60;

interface GithubEmail {
  email: string;
  verified: boolean;
}

/** GitHub's own word on which of the user's addresses are verified (the profile's address may not be). */
async function verifiedGithubEmails(accessToken: string | undefined): Promise<string[]> {
  if (!accessToken) return [];
  const response = await fetch("https://api.github.com/user/emails", {
    headers: { Authorization: `Bearer ${accessToken}`, "User-Agent": "Vaporform" },
  });
  if (!response.ok) return [];
  const emails = (await response.json()) as GithubEmail[];
  return emails.filter((entry) => entry.verified).map((entry) => entry.email);
}

/**
 * next-auth: credentials (e-mail or username + password) always, GitHub when configured. Sessions are JWTs that
 * carry only the user id and session version; every request re-reads the user (src/server/auth/session.ts), so
 * a deactivated user or a changed password ends open sessions at once.
 */
export const authOptions: NextAuthOptions = {
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: THIRTY_DAYS },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Password",
      credentials: {
        email: { label: "E-mail or username", type: "text" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials, req) {
        const parsed = ZSignInInput.safeParse(credentials ?? {});
        if (!parsed.success) throw new Error("Enter your e-mail or username and your password.");
        try {
          const user = await authenticate({
            db,
            identifier: parsed.data.email,
            password: parsed.data.password,
            ip: clientIpFrom(req.headers),
            deviceCookie: readCookie(req.headers?.cookie as string | undefined, DEVICE_COOKIE),
          });
          // Set on this route handler's response (Next merges cookies set here into it).
          (await cookies()).set(DEVICE_COOKIE, user.deviceCookie, {
            path: "/",
            httpOnly: true,
            sameSite: "lax",
            secure: isHttpsRequest(req.headers),
            maxAge: DEVICE_TOKEN_LIFETIME_SECONDS,
          });
          return { id: user.id, sessionVersion: user.sessionVersion };
        } catch (error) {
          // next-auth hands the message to the sign-in form.
          if (error instanceof AppError) throw new Error(error.message);
          throw error;
        }
      },
    }),
    ...(env.GITHUB_ID && env.GITHUB_SECRET
      ? [
          GitHubProvider({
            clientId: env.GITHUB_ID,
            clientSecret: env.GITHUB_SECRET,
            authorization: { params: { scope: "read:user user:email" } },
          }),
        ]
      : []),
  ],
  callbacks: {
    async signIn({ user, account, profile }) {
      if (account?.provider !== "github") return true;
      // Signed in already: the settings page started this, to link GitHub to the account (the flow needs
      // next-auth's CSRF token to start and its state check to finish, so no other site can make it happen).
      const signedIn = await readSession();
      const result = await linkGithubAccount({
        db,
        providerAccountId: account.providerAccountId,
        verifiedEmails: await verifiedGithubEmails(account.access_token),
        profile: profile as { login?: string; name?: string | null; avatar_url?: string | null } | undefined,
        signedInUserId: signedIn?.id,
      });
      if ("refused" in result)
        return signedIn ? `/settings?github=${result.refused}` : `/sign-in?error=${result.refused}`;
      user.id = result.user.id;
      user.sessionVersion = result.user.sessionVersion;
      return true;
    },
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.sv = user.sessionVersion ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      // Only the id and the session version: who the user is, and whether the session still stands, is read
      // from the database on every request (getSession).
      return { expires: session.expires, user: { id: token.uid, sv: token.sv ?? 0 } } as typeof session;
    },
  },
};

/**
 * The options for one request: its cookies are `Secure` when the browser came over HTTPS (an https NEXTAUTH_URL, or
 * a trusted TLS-terminating proxy), which also gives them next-auth's `__Secure-`/`__Host-` names.
 */
export function authOptionsFor(requestHeaders: Headers): NextAuthOptions {
  return { ...authOptions, useSecureCookies: isHttpsRequest(requestHeaders) };
}

/**
 * The signed-in user of the current request (route handlers and server components), re-read from the database: the
 * JWT names the user, the database decides. Null for a deactivated user, or a session begun before a password change.
 */
export async function readSession(): Promise<SessionUser | null> {
  const jwtSession = (await getServerSession(authOptionsFor(await headers()))) as {
    user?: { id?: string; sv?: number };
  } | null;
  const userId = jwtSession?.user?.id;
  if (!userId) return null;
  return loadSessionUser({ db, userId, sessionVersion: jwtSession?.user?.sv ?? 0 });
}

/** True when the GitHub button should be shown. */
export const githubEnabled = Boolean(env.GITHUB_ID && env.GITHUB_SECRET);
