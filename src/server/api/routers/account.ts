import {
  ZChangePasswordInput,
  ZRegisterInput,
  ZRequestPasswordResetInput,
  ZResetPasswordInput,
  ZUpdatePreferencesInput,
  ZUpdateProfileInput,
  ZVerifyEmailInput,
} from "~/lib/schemas/account";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "~/server/api/trpc";
import { readCookie } from "~/server/auth/cookies";
import { DEVICE_COOKIE } from "~/server/auth/device";
import {
  changePassword,
  getMe,
  registerUser,
  requestPasswordReset,
  resendVerification,
  resetPassword,
  updatePreferences,
  updateProfile,
  verifyEmail,
} from "~/server/services/account";

/** Sign-up, e-mail verification, passwords, and the signed-in user's own profile and preferences. */
export const accountRouter = createTRPCRouter({
  /** Rate-limited per client address. */
  register: publicProcedure
    .input(ZRegisterInput)
    .mutation(({ ctx, input }) => registerUser({ db: ctx.db, ip: ctx.ip, ...input })),

  /** Public: the link may be opened in a browser that is not signed in; the token is the proof. */
  verifyEmail: publicProcedure
    .input(ZVerifyEmailInput)
    .mutation(({ ctx, input }) => verifyEmail({ db: ctx.db, token: input.token })),

  resendVerification: protectedProcedure.mutation(({ ctx }) =>
    resendVerification({ db: ctx.db, userId: ctx.session.user.id }),
  ),

  /** Rate-limited per client address and per requested address; the mail goes out after the answer. */
  requestPasswordReset: publicProcedure
    .input(ZRequestPasswordResetInput)
    .mutation(({ ctx, input }) => requestPasswordReset({ db: ctx.db, email: input.email, ip: ctx.ip })),

  resetPassword: publicProcedure
    .input(ZResetPasswordInput)
    .mutation(({ ctx, input }) => resetPassword({ db: ctx.db, token: input.token, password: input.password })),

  me: protectedProcedure.query(({ ctx }) => getMe({ db: ctx.db, userId: ctx.session.user.id })),

  updateProfile: protectedProcedure
    .input(ZUpdateProfileInput)
    .mutation(({ ctx, input }) => updateProfile({ db: ctx.db, userId: ctx.session.user.id, ...input })),

  updatePreferences: protectedProcedure
    .input(ZUpdatePreferencesInput)
    .mutation(({ ctx, input }) => updatePreferences({ db: ctx.db, userId: ctx.session.user.id, preferences: input })),

  /** Answers the new session version: the caller's session must adopt it, every other session ends. */
  changePassword: protectedProcedure.input(ZChangePasswordInput).mutation(({ ctx, input }) =>
    changePassword({
      db: ctx.db,
      userId: ctx.session.user.id,
      ip: ctx.ip,
      deviceCookie: readCookie(ctx.headers.get("cookie"), DEVICE_COOKIE),
      ...input,
    }),
  ),
});
