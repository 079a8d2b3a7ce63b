import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

// Each test file runs on its own database, cloned from the migrated template: files run in parallel
// without sharing rows, and nothing needs wiping. Runs before the test file imports the app, so `~/env` sees it.
const templateUrl = new URL(inject("templateDatabaseUrl"));
const templateName = templateUrl.pathname.slice(1);
const cloneName = `${inject("databasePrefix")}_f${randomBytes(5).toString("hex")}`;

const adminUrl = new URL(templateUrl);
adminUrl.pathname = "/postgres";
const admin = new pg.Client({ connectionString: adminUrl.toString() });
await admin.connect();
await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(cloneName)} TEMPLATE ${pg.escapeIdentifier(templateName)}`);
await admin.end();

const cloneUrl = new URL(templateUrl);
cloneUrl.pathname = `/${cloneName}`;
process.env.DATABASE_URL = cloneUrl.toString();
process.env.ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
// Tests call endpoints on 127.0.0.1; test/integrations/outbound.test.ts turns the guard back on where it is the subject.
process.env.OUTBOUND_ALLOW_PRIVATE ??= "true";
