-- git.pullPreview and git.branches are recorded as git operations too (kinds 'preview' and 'branches'), so the
-- per-user bound on running git work counts them on every instance; they never carry a project while running.
ALTER TABLE git_operations DROP CONSTRAINT git_operations_kind_check;
ALTER TABLE git_operations
    ADD CONSTRAINT git_operations_kind_check CHECK (kind IN ('import', 'push', 'pull', 'preview', 'branches'));
-- The daily maintenance deletes finished operations past their retention (30 days) by this.
CREATE INDEX idx_git_operations_finished ON git_operations (finished_at) WHERE finished_at IS NOT NULL;
