import path from "node:path";
import { env } from "~/env";
import { readOrCreateSecret } from "~/server/db/runtime";

/**
 * The demo accounts' e-mail and passwords for `npm start` and `npm run db:seed`. The admin's password is never a
 * published default: SEED_ADMIN_PASSWORD, or one generated for this install and kept in `.data/admin.password`
 * (printed at start); its e-mail is SEED_ADMIN_EMAIL.
 */
export function seedAccounts(): { adminEmail: string; adminPassword: string; demoPassword: string | undefined } {
  return {
    adminEmail: env.SEED_ADMIN_EMAIL,
    adminPassword:
      env.SEED_ADMIN_PASSWORD ?? readOrCreateSecret(path.join(env.VAPORFORM_DATA_DIR, "admin.password"), 12),
    demoPassword: env.SEED_DEMO_PASSWORD,
  };
}
