/** Accounts: sign-up and e-mail verification, passwords, and the signed-in user's profile and preferences. */
export { registerUser, resendVerification, verifyEmail } from "./registration";
export { changePassword, requestPasswordReset, resetPassword } from "./passwords";
export { getMe, updatePreferences, updateProfile } from "./profile";
