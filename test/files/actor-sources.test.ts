import { zipSync, strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { ACTOR_SOURCES, makeActor, type ActorSource } from "~/server/db/write";
import { createFile, deleteFile, importZip, moveFile, restoreFile, saveFile } from "~/server/services/files";
import { createProject } from "~/server/services/project";
import { createInteraction } from "../db/helpers";
import { pool } from "../db";
import { newProject, signedInUser } from "./support";

/** Every version and activity row of a project, with who and what the triggers recorded as their source. */
async function sourcesOf(projectId: string) {
  const { rows } = await pool.query<{
    kind: string;
    what: string;
    source: string;
    interaction: string | null;
    user_id: string | null;
  }>(
    `SELECT 'version' AS kind, file_path || ' v' || version AS what, source_type AS source,
            interaction_id::text AS interaction, created_by::text AS user_id
       FROM project_file_versions WHERE project_id = $1
     UNION ALL
     SELECT 'activity', activity_type || ' ' || array_to_string(affected_resources, ','), source_type, source_id::text, user_id::text
       FROM project_activity WHERE project_id = $1`,
    [projectId],
  );
  return rows;
}

describe("one write path with an actor", () => {
  it.each(ACTOR_SOURCES)(
    "every version and activity row written through the services as a %s actor carries that source (and the interaction id for Claude)",
    async (source: ActorSource) => {
      const { api, userId } = await signedInUser();
      // A Claude interaction belongs to a project: one of the owner's, made by them, holds it.
      const interactionId = source === "claude" ? await createInteraction(pool, await newProject(api), userId) : null;
      const actor = makeActor({ userId: source === "system" ? null : userId, source, interactionId });

      const { id: projectId } = await createProject({ db, actor, userId, name: `Actor ${source}`, description: "" });
      const scope = { db, projectId, actor };
      const created = await createFile({
        ...scope,
        path: "src/a.ts",
        kind: "file",
        content: "one\n",
        encoding: "utf-8",
      });
      await createFile({ ...scope, path: "assets", kind: "folder", encoding: "utf-8" });
      await createFile({
        ...scope,
        path: "assets/logo.png",
        kind: "file",
        content: "iVBORw0KGgo=",
        encoding: "base64",
      });
      await saveFile({
        ...scope,
        path: "src/a.ts",
        content: "two\n",
        fileId: created.id,
        baseVersion: created.version,
      });
      await moveFile({ ...scope, from: "src/a.ts", to: "src/b.ts" });
      await moveFile({ ...scope, from: "assets", to: "static" });
      const restored = await restoreFile({
        ...scope,
        path: "src/b.ts",
        version: 1,
        fileId: created.id,
        baseFileId: created.id,
        baseVersion: 2,
      });
      expect(restored.changed).toBe(true);
      const archive = zipSync({ "src/b.ts": strToU8("three\n"), "docs/new.md": strToU8("# new\n") });
      await importZip({ ...scope, archive, mode: "merge" });
      await deleteFile({ ...scope, path: "static" });

      const rows = await sourcesOf(projectId);
      const kinds = new Set(rows.map((row) => row.what.split(" ")[0]));
      // Every kind of write left rows: versions of each file, and created, modified and deleted activity.
      expect(rows.filter((row) => row.kind === "version").length).toBeGreaterThanOrEqual(8);
      for (const activity of ["file_created", "file_modified", "file_deleted"]) expect(kinds).toContain(activity);
      const expected = { source, interaction: interactionId, user_id: source === "system" ? null : userId };
      expect(rows.map(({ source, interaction, user_id }) => ({ source, interaction, user_id }))).toEqual(
        rows.map(() => expected),
      );
    },
  );

  it("makes a write without an actor, or with one not made by makeActor, a type error (npx tsc checks this file)", () => {
    const writes = [
      // @ts-expect-error: a write names its actor
      () => deleteFile({ db, projectId: "p", path: "a" }),
      () => {
        const handMade = { userId: null, source: "system", interactionId: null } as const;
        // @ts-expect-error: an Actor is made by makeActor only, never spelled out by hand
        return deleteFile({ db, projectId: "p", path: "a", actor: handMade });
      },
    ];
    expect(writes).toHaveLength(2);
  });
});
