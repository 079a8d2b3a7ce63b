/**
 * The baseline of the HTTP benchmarks: what the app's file save and read do in SQL, behind a bare `node:http` +
 * `pg` handler with JSON in and out and nothing else (no auth, no validation, no framework). The caller names the
 * user in the request, as the session would.
 *
 *   POST /save  { userId, projectId, path, content, fileId, baseVersion } -> { id, version, ... } (409 on a stale base)
 *   POST /read  { userId, projectId, path }                              -> { id, content, version }
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";

interface SaveInput {
  userId: string;
  projectId: string;
  path: string;
  content: string;
  fileId: string;
  baseVersion: number;
}

/**
 * In one transaction: the project ownership check, the actor settings, the conditional UPDATE of file.save (on
 * the file's identity and version) and, when the file grew, the read of the project's storage limit.
 */
async function save(pool: pg.Pool, input: SaveInput) {
  const bytes = Buffer.from(input.content);
  const hash = createHash("sha256").update(bytes).digest("hex");
  const conn = await pool.connect();
  try {
    await conn.query("BEGIN");
    const owned = await conn.query("SELECT id FROM projects WHERE id = $1 AND user_id = $2", [
      input.projectId,
      input.userId,
    ]);
    if (owned.rowCount !== 1) throw new Error("not found");
    await conn.query(
      "SELECT set_config('vaporform.actor_id', $1, true), set_config('vaporform.source_type', 'user', true), set_config('vaporform.interaction_id', '', true)",
      [input.userId],
    );
    const { rows } = await conn.query(
      `UPDATE project_files f
          SET content = $3, content_hash = $4, size_bytes = $5, line_count = $6, updated_by = $7
        WHERE f.project_id = $1 AND f.file_path = $2 AND f.id = $10 AND f.version = $8 AND NOT f.is_binary
          AND f.content_hash IS DISTINCT FROM $9
       RETURNING f.id, f.version, f.content_hash, f.size_bytes, f.line_count, f.updated_at,
                 (SELECT o.size_bytes FROM project_files o WHERE o.id = f.id) AS old_size`,
      [
        input.projectId,
        input.path,
        input.content,
        hash,
        bytes.length,
        input.content.split("\n").length - 1,
        input.userId,
        input.baseVersion,
        hash,
        input.fileId,
      ],
    );
    if (rows[0] && bytes.length > rows[0].old_size) {
      await conn.query("SELECT total_size_bytes, storage_limit_mb FROM projects WHERE id = $1", [input.projectId]);
    }
    await conn.query("COMMIT");
    return rows[0] ?? null;
  } catch (error) {
    await conn.query("ROLLBACK");
    throw error;
  } finally {
    conn.release();
  }
}

/** The ownership check and the file, in one query (file.read makes the check in its procedure, then reads). */
async function read(pool: pg.Pool, input: { userId: string; projectId: string; path: string }) {
  const { rows } = await pool.query(
    `SELECT f.id, f.content, f.version FROM project_files f JOIN projects p ON p.id = f.project_id
      WHERE p.id = $1 AND p.user_id = $2 AND f.file_path = $3`,
    [input.projectId, input.userId, input.path],
  );
  return rows[0] ?? null;
}

/** Starts the baseline server on a free loopback port; `close()` stops it (the pool is the caller's). */
export async function startBareServer(pool: pg.Pool): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        try {
          const input = JSON.parse(Buffer.concat(chunks).toString()) as SaveInput;
          const result = req.url === "/read" ? await read(pool, input) : await save(pool, input);
          res.writeHead(result ? 200 : 409, { "content-type": "application/json" }).end(JSON.stringify(result));
        } catch (error) {
          res.writeHead(500).end(String(error));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
