#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded on these machines.
# `prisma generate`/`validate`/`format` never run it; `prisma migrate`/`db` would.
echo "Vaporform: Prisma's schema engine is not installed. Migrations are applied by 'npm run db:migrate' (see README)." >&2
exit 1
