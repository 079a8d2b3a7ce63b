import { defineConfig } from "prisma/config";

// The CLI is used offline only (generate/validate/format). Migrations are applied by our own migrator
// (`npm run db:migrate`), so the datasource URL is only a placeholder when none is configured.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/vaporform" },
});
