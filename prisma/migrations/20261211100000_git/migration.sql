-- Git (issue 12): a project imported from a remote (repository_type 'existing'), the commit it was last synced
-- with and what that commit held, and the running git operations (import, push, pull) that every instance can
-- follow and cancel.

ALTER TABLE projects DROP CONSTRAINT projects_repository_type_known;
ALTER TABLE projects ADD CONSTRAINT projects_repository_type_known
    CHECK (repository_type IN ('new', 'existing', 'git', 'github', 'gitlab', 'bitbucket'));

-- ---------------------------------------------------------------------------------------------------------
-- The last sync with the remote (import, push, pull): the commit, and each of its imported files' content hash
-- (project_files.content_hash of the same bytes), so "what changed since the sync" is a comparison of hashes in
-- the database, with nothing downloaded. One row per project, replaced at each sync.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE project_git_sync (
    project_id UUID PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    commit_oid VARCHAR(40) NOT NULL CHECK (commit_oid ~ '^[0-9a-f]{40}$'),
    files JSONB NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(files) = 'object'),
    synced_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------------------------------------------------
-- Git operations: the runner writes its progress here (at most ~4 times a second), any instance reads it, and a
-- cancel is a flag the runner reads back with each progress write. project_id is NULL for an import until it
-- has created its project.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE git_operations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    project_id UUID REFERENCES projects(id) ON DELETE SET NULL,
    kind VARCHAR(10) NOT NULL CHECK (kind IN ('import', 'push', 'pull')),
    status VARCHAR(10) NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
    phase VARCHAR(100) NOT NULL DEFAULT 'Starting',
    loaded BIGINT NOT NULL DEFAULT 0,
    total BIGINT,
    error TEXT,
    cancel_requested BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX idx_git_operations_user ON git_operations (user_id, created_at DESC);
-- At most one running push or pull per project (an import has no project while it runs).
CREATE UNIQUE INDEX idx_git_operations_running_project ON git_operations (project_id) WHERE status = 'running';
