-- A running assistant turn's heartbeat: the instance running it sets heartbeat_at every few seconds, so recovery
-- (at start and every minute) fails only turns whose instance stopped beating, never those of another live
-- instance on the same database. NULL for ended turns of before this migration.
ALTER TABLE claude_interactions ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;

UPDATE claude_interactions SET heartbeat_at = created_at WHERE status = 'running';

DROP INDEX IF EXISTS idx_claude_interactions_running;
CREATE INDEX idx_claude_interactions_running ON claude_interactions(heartbeat_at) WHERE status = 'running';
