-- A running assistant turn's heartbeat: the instance running it sets heartbeat_at every few seconds, so recovery
-- (at start and every minute) fails only turns whose instance stopped beating, never those of another live
-- instance on the same database. NULL for ended turns of before this migration.
ALTER TABLE claude_interactions ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;

UPDATE claude_interactions SET heartbeat_at = created_at WHERE status = 'running';

DROP INDEX IF EXISTS idx_claude_interactions_running;
CREATE INDEX idx_claude_interactions_running ON claude_interactions(heartbeat_at) WHERE status = 'running';

-- A decided change (accepted: it is in the file's versions; rejected: it is gone) keeps no content.
UPDATE claude_pending_changes SET content = NULL WHERE status IN ('accepted', 'rejected');
ALTER TABLE claude_pending_changes DROP CONSTRAINT claude_pending_changes_check;
ALTER TABLE claude_pending_changes ADD CONSTRAINT claude_pending_changes_check
    CHECK (CASE WHEN action = 'delete' THEN content IS NULL
                ELSE content IS NOT NULL OR status IN ('accepted', 'rejected') END);
