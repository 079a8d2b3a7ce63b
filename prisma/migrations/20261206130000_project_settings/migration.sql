-- Project settings (issue 11, items 2 and 3): the bounds the settings form mirrors, when each environment
-- variable was last set, and archived projects made read-only in the one place every file write passes.

-- ---------------------------------------------------------------------------------------------------------
-- Bounds. src/lib/schemas/project.ts mirrors these numbers and test/projects/settings.test.ts proves the two agree
-- at each bound. storage_limit_mb stays nullable (NULL: no limit, src/server/services/storage-limit.ts).
-- ---------------------------------------------------------------------------------------------------------
ALTER TABLE projects
    ADD CONSTRAINT projects_architecture_type_known
        CHECK (architecture_type IN ('pwa', 'microservices', 'monolithic')),
    ADD CONSTRAINT projects_memory_limit_mb_range CHECK (memory_limit_mb BETWEEN 64 AND 65536),
    ADD CONSTRAINT projects_storage_limit_mb_range CHECK (storage_limit_mb BETWEEN 1 AND 1048576),
    ADD CONSTRAINT projects_repository_type_known
        CHECK (repository_type IN ('new', 'git', 'github', 'gitlab', 'bitbucket')),
    ADD CONSTRAINT projects_repository_url_http CHECK (repository_url ~ '^https?://');

-- environment_vars holds only envelopes (vf_env_vars_encrypted), so the time each name was last set lives beside
-- it: { "NAME": "2026-12-06T10:00:00.000Z" }, written in the same UPDATE as the envelope.
ALTER TABLE projects ADD COLUMN environment_var_times JSONB NOT NULL DEFAULT '{}'
    CHECK (jsonb_typeof(environment_var_times) = 'object');

-- ---------------------------------------------------------------------------------------------------------
-- Archived projects are read-only. Every change of a project's files (a save, create, move, delete, restore,
-- zip import, Claude's commits and undo, a template upgrade) is a statement on project_files, so this is the one
-- check they all pass. Statement-level with transition tables: one join per statement, not one lookup per row,
-- so a 10,000-file import pays once. A project being deleted no longer joins (its row is gone when the cascade
-- deletes its files), so deleting an archived project still works (docs/schema.md, fix 4).
-- SQLSTATE VF423 is mapped to the user's message by src/server/api/trpc.ts (errorMapping).
-- ---------------------------------------------------------------------------------------------------------
CREATE FUNCTION vf_refuse_archived_project_writes() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM projects p WHERE p.archived_at IS NOT NULL
                      AND p.id IN (SELECT DISTINCT o.project_id FROM old_rows o)) THEN
            RAISE EXCEPTION 'This project is archived; unarchive it to make changes' USING ERRCODE = 'VF423';
        END IF;
    ELSIF EXISTS (SELECT 1 FROM projects p WHERE p.archived_at IS NOT NULL
                     AND p.id IN (SELECT DISTINCT n.project_id FROM new_rows n)) THEN
        RAISE EXCEPTION 'This project is archived; unarchive it to make changes' USING ERRCODE = 'VF423';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER project_files_refuse_archived_insert AFTER INSERT ON project_files
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vf_refuse_archived_project_writes();
CREATE TRIGGER project_files_refuse_archived_update AFTER UPDATE ON project_files
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vf_refuse_archived_project_writes();
CREATE TRIGGER project_files_refuse_archived_delete AFTER DELETE ON project_files
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vf_refuse_archived_project_writes();
