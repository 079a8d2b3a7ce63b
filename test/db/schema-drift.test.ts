import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db, rows } from "./helpers";

// Prisma 7's `prisma-client` generator does not expose `Prisma.dmmf`, and @prisma/internals is not installed, so
// the DMMF comes from the schema engine that ships with the CLI (node_modules/prisma/build/*.wasm), loaded with
// the few wasm-bindgen imports it needs. This is the same `get_dmmf` the CLI runs for `prisma generate`.

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { fields: string[] } | null;
}

function loadDmmf(schema: string): { datamodel: { models: DmmfModel[] } } {
  const wasm = path.resolve("node_modules/prisma/build/prisma_schema_build_bg.wasm");
  const wasmModule = new WebAssembly.Module(fs.readFileSync(wasm));
  let exports: Record<string, unknown> & { memory: WebAssembly.Memory } = {
    memory: new WebAssembly.Memory({ initial: 0 }),
  };
  const text = (ptr: number, len: number) =>
    new TextDecoder().decode(new Uint8Array(exports.memory.buffer, ptr >>> 0, len >>> 0));
  const imports: Record<string, Record<string, (...args: number[]) => unknown>> = {};
  for (const { module: name, name: fn } of WebAssembly.Module.imports(wasmModule)) {
    const target = (imports[name] ??= {});
    if (fn.startsWith("__wbg_Error_")) target[fn] = (ptr, len) => new Error(text(ptr, len));
    else if (fn.startsWith("__wbg___wbindgen_throw_")) {
      target[fn] = (ptr, len) => {
        throw new Error(text(ptr, len));
      };
    } else if (fn.startsWith("__wbg_set_message_")) target[fn] = () => undefined;
    else if (fn === "__wbindgen_init_externref_table") {
      target[fn] = () => {
        const table = exports.__wbindgen_externrefs as WebAssembly.Table;
        const base = table.grow(4);
        table.set(0, undefined);
        table.set(base, undefined);
        table.set(base + 1, null);
        table.set(base + 2, true);
        table.set(base + 3, false);
      };
    } else throw new Error(`the Prisma schema wasm needs an unknown import ${name}.${fn}: update this loader`);
  }
  exports = new WebAssembly.Instance(wasmModule, imports).exports as typeof exports;
  const call = <T>(fn: string, ...args: number[]) => (exports[fn] as (...a: number[]) => T)(...args);
  call("__wbindgen_start");

  const input = new TextEncoder().encode(JSON.stringify({ prismaSchema: schema, noColor: true }));
  const ptr = call<number>("__wbindgen_malloc", input.length, 1);
  new Uint8Array(exports.memory.buffer, ptr, input.length).set(input);
  const [outPtr, outLen, errorRef, failed] = call<[number, number, number, number]>("get_dmmf", ptr, input.length);
  if (failed) throw (exports.__wbindgen_externrefs as WebAssembly.Table).get(errorRef) as Error;
  const json = text(outPtr, outLen);
  call("__wbindgen_free", outPtr, outLen, 1);
  return JSON.parse(json) as { datamodel: { models: DmmfModel[] } };
}

/** The column type Prisma expects, in the spelling of pg_catalog's udt names. */
function prismaColumnType(field: DmmfField): string {
  const byNative: Record<string, (args: string[]) => string> = {
    Uuid: () => "uuid",
    Text: () => "text",
    Citext: () => "citext",
    VarChar: ([n]) => `varchar(${n})`,
    Char: ([n]) => `bpchar(${n})`,
    Timestamptz: ([p]) => `timestamptz(${p ?? 6})`,
    Timestamp: ([p]) => `timestamp(${p ?? 6})`,
    Date: () => "date",
    Decimal: ([p, s]) => `numeric(${p},${s})`,
    SmallInt: () => "int2",
    Integer: () => "int4",
    BigInt: () => "int8",
    Inet: () => "inet",
    JsonB: () => "jsonb",
    Json: () => "json",
    DoublePrecision: () => "float8",
  };
  const byScalar: Record<string, string> = {
    String: "text",
    Int: "int4",
    BigInt: "int8",
    Boolean: "bool",
    DateTime: "timestamp(3)",
    Json: "jsonb",
    Decimal: "numeric(65,30)",
    Float: "float8",
    Bytes: "bytea",
  };
  let base: string | undefined;
  if (field.nativeType) {
    const [name, args] = field.nativeType;
    base = byNative[name]?.(args) ?? `unmapped native type @db.${name}`;
  } else {
    base = byScalar[field.type] ?? `unmapped scalar ${field.type}`;
  }
  return field.isList ? `${base}[]` : base;
}

interface ColumnRow {
  table_name: string;
  column_name: string;
  is_nullable: "YES" | "NO";
  udt_name: string;
  character_maximum_length: number | null;
  numeric_precision: number | null;
  numeric_scale: number | null;
  datetime_precision: number | null;
}

function databaseColumnType(column: ColumnRow): string {
  const udt = column.udt_name.startsWith("_") ? column.udt_name.slice(1) : column.udt_name;
  let base = udt;
  if (udt === "varchar" || udt === "bpchar") base = `${udt}(${column.character_maximum_length ?? ""})`;
  else if (udt === "numeric") base = `numeric(${column.numeric_precision ?? ""},${column.numeric_scale ?? ""})`;
  else if (udt === "timestamptz" || udt === "timestamp") base = `${udt}(${column.datetime_precision ?? ""})`;
  return column.udt_name.startsWith("_") ? `${base}[]` : base;
}

/** `Unsupported("type")` fields of a model: the DMMF leaves them out, so they are read from the schema text. */
function unsupportedFields(
  schema: string,
  model: string,
): { name: string; column: string; type: string; optional: boolean }[] {
  const block = new RegExp(`\\nmodel ${model} \\{([\\s\\S]*?)\\n\\}`).exec(schema)?.[1] ?? "";
  return [...block.matchAll(/^\s*(\w+)\s+Unsupported\("([^"]+)"\)(\?)?([^\n]*)$/gm)].map((match) => ({
    name: match[1]!,
    type: match[2]!,
    optional: match[3] === "?",
    column: /@map\("([^"]+)"\)/.exec(match[4] ?? "")?.[1] ?? match[1]!,
  }));
}

/** Every difference between the models of `schema` and the tables of the migrated database, readable. */
async function findDrift(schema: string): Promise<string[]> {
  const { datamodel } = loadDmmf(schema);
  const tables = await rows<{ name: string }>(
    db,
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname <> '_prisma_migrations'
      ORDER BY 1`,
  );
  const columns = await rows<ColumnRow>(
    db,
    `SELECT table_name, column_name, is_nullable, udt_name, character_maximum_length, numeric_precision,
            numeric_scale, datetime_precision
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const primaryKeys = await rows<{ table_name: string; columns: string[] }>(
    db,
    `SELECT c.relname AS table_name, array_agg(a.attname ORDER BY k.ord)::text[] AS columns
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE con.contype = 'p' AND n.nspname = 'public' AND NOT c.relispartition
      GROUP BY c.relname`,
  );

  const differences: string[] = [];
  const modelTables = new Set<string>();
  for (const model of datamodel.models) {
    const table = model.dbName ?? model.name;
    modelTables.add(table);
    if (!tables.some((row) => row.name === table)) {
      differences.push(`model ${model.name}: table "${table}" does not exist`);
      continue;
    }
    const tableColumns = new Map(columns.filter((c) => c.table_name === table).map((c) => [c.column_name, c]));
    const seen = new Set<string>();
    for (const field of model.fields.filter(
      (f) => f.kind === "scalar" || f.kind === "enum" || f.kind === "unsupported",
    )) {
      const columnName = field.dbName ?? field.name;
      seen.add(columnName);
      const column = tableColumns.get(columnName);
      const where = `${model.name}.${field.name} (${table}.${columnName})`;
      if (!column) {
        differences.push(`${where}: column does not exist`);
        continue;
      }
      const expected = prismaColumnType(field);
      const actual = databaseColumnType(column);
      if (expected !== actual) differences.push(`${where}: type ${actual} in the database, ${expected} in Prisma`);
      // Prisma lists are never optional, and Prisma itself creates list columns without NOT NULL.
      if (!field.isList) {
        const nullable = column.is_nullable === "YES";
        if (nullable === field.isRequired) {
          differences.push(
            `${where}: ${nullable ? "nullable" : "NOT NULL"} in the database, ${field.isRequired ? "required" : "optional"} in Prisma`,
          );
        }
      }
    }
    for (const field of unsupportedFields(schema, model.name)) {
      seen.add(field.column);
      const column = tableColumns.get(field.column);
      const where = `${model.name}.${field.name} (${table}.${field.column})`;
      if (!column) {
        differences.push(`${where}: column does not exist`);
        continue;
      }
      const actual = databaseColumnType(column);
      if (actual !== field.type) differences.push(`${where}: type ${actual} in the database, ${field.type} in Prisma`);
      if ((column.is_nullable === "YES") !== field.optional) {
        differences.push(
          `${where}: ${column.is_nullable === "YES" ? "nullable" : "NOT NULL"} in the database, ${field.optional ? "optional" : "required"} in Prisma`,
        );
      }
    }
    for (const columnName of tableColumns.keys()) {
      if (!seen.has(columnName)) differences.push(`${table}.${columnName}: column has no field in model ${model.name}`);
    }
    const idFields = model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name);
    const expectedKey = idFields.map((name) => {
      const field = model.fields.find((f) => f.name === name);
      return field?.dbName ?? name;
    });
    const actualKey = primaryKeys.find((pk) => pk.table_name === table)?.columns ?? [];
    if (expectedKey.join(",") !== actualKey.join(",")) {
      differences.push(
        `${table}: primary key (${actualKey.join(", ")}) in the database, (${expectedKey.join(", ")}) in Prisma`,
      );
    }
  }
  for (const { name } of tables) {
    if (!modelTables.has(name)) differences.push(`table "${name}" has no model in prisma/schema.prisma`);
  }

  return differences;
}

const schemaFile = path.resolve("prisma/schema.prisma");

describe("schema drift between prisma/schema.prisma and the migrated database", () => {
  it("has a model for every table and the same columns, types, nullability and primary keys", async () => {
    const differences = await findDrift(fs.readFileSync(schemaFile, "utf8"));
    expect(differences, `schema drift:\n  ${differences.join("\n  ")}`).toEqual([]);
  });

  it("reports a changed type, a changed nullability, a missing column and a table without a model", async () => {
    const schema = fs.readFileSync(schemaFile, "utf8");
    const broken = schema
      .replace(/(fullName\s+String\s+@map\("full_name"\) @db\.VarChar\()255\)/, "$1100)")
      .replace(/(\n\s+bio\s+)String\?/, "$1String")
      .replace(/(\n\s+role\s+String\s+@default\("user"\) @db.VarChar\(20\))/, "$1\n  nickname String?")
      .replace(/\nmodel ClaudeUsageDaily \{[\s\S]*?\n\}\n/, "\n");
    expect(broken).not.toBe(schema);
    const differences = await findDrift(broken);
    expect(differences).toEqual(
      expect.arrayContaining([
        "User.fullName (users.full_name): type varchar(255) in the database, varchar(100) in Prisma",
        "User.bio (users.bio): nullable in the database, required in Prisma",
        "User.nickname (users.nickname): column does not exist",
        'table "claude_usage_daily" has no model in prisma/schema.prisma',
      ]),
    );
  });
});
