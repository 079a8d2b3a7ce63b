-- A project with Claude spend can be deleted, and the install keeps its cost history (docs/schema.md,
-- "Deleting a project keeps its spend"). Until now claude_interactions.project_id was NOT NULL ... ON DELETE
-- CASCADE, so deleting a project deleted its interactions and the rollup triggers took their spend out of every
-- total (by day, model, user): history changed, and a user could reset their monthly budget by deleting projects.
-- Now the interactions stay with project_id NULL and the deleted project's id in deleted_project_id; their
-- content (prompt, answer, tool calls, files, error) is erased with the project, their accounting is kept.

ALTER TABLE claude_interactions
    ADD COLUMN deleted_project_id UUID,
    ALTER COLUMN project_id DROP NOT NULL,
    DROP CONSTRAINT claude_interactions_project_id_fkey,
    ADD CONSTRAINT claude_interactions_project_id_fkey
        FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE SET NULL,
    -- Either a live project or the id of a deleted one, never both, never neither.
    ADD CONSTRAINT claude_interactions_project_or_deleted
        CHECK ((project_id IS NULL) = (deleted_project_id IS NOT NULL));

CREATE INDEX idx_claude_interactions_deleted_project ON claude_interactions(deleted_project_id)
    WHERE deleted_project_id IS NOT NULL;

-- The ON DELETE SET NULL of the foreign key runs as an UPDATE of claude_interactions, so this row trigger sees it:
-- it remembers the project and keeps only the accounting. The model calls' request ids and usage stay in
-- context_data (they tie the cost to the provider's bill); tools, changes and the texts go.
CREATE FUNCTION vf_claude_interactions_project_deleted() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF OLD.project_id IS NOT NULL AND NEW.project_id IS NULL THEN
        NEW.deleted_project_id := OLD.project_id;
        NEW.user_message := '';
        NEW.claude_response := '';
        NEW.context_data := jsonb_build_object('calls', COALESCE(OLD.context_data -> 'calls', '[]'::jsonb));
        NEW.affected_files := '{}';
        NEW.commands_executed := '{}';
        NEW.error_message := CASE WHEN OLD.error_message IS NULL THEN NULL ELSE '' END;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER claude_interactions_project_deleted BEFORE UPDATE OF project_id ON claude_interactions
    FOR EACH ROW EXECUTE FUNCTION vf_claude_interactions_project_deleted();

-- The rollups keep a deleted project's spend under its own id: the key's project is project_id, or the deleted
-- project's id once it is gone. The key of an interaction therefore never changes when its project is deleted
-- (the update trigger takes it out and adds it back under the same key: every total exact, no row moves).
-- Otherwise as in 20261203100000_assistant_usage.
CREATE OR REPLACE FUNCTION vf_claude_usage_apply(r claude_interactions, p_sign integer) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_day date := vf_utc_day(r.created_at);
    v_project uuid := COALESCE(r.project_id, r.deleted_project_id);
    v_failed integer := CASE WHEN r.success IS FALSE THEN 1 ELSE 0 END;
    v_unpriced integer := CASE WHEN r.cost_usd IS NULL THEN 1 ELSE 0 END;
    v_tokens bigint := COALESCE(r.input_tokens, 0) + COALESCE(r.output_tokens, 0) + r.cache_read_tokens
                       + r.cache_write_tokens + r.cache_write_1h_tokens;
    v_remaining integer;
BEGIN
    IF r.status = 'running' THEN
        RETURN;
    END IF;
    IF p_sign > 0 THEN
        INSERT INTO claude_usage_daily AS u (day, user_id, project_id, model, interaction_type, interactions,
                                             failures, input_tokens, output_tokens, cache_read_tokens,
                                             cache_write_tokens, cache_write_1h_tokens, execution_time_ms,
                                             cost_usd, unpriced_interactions, unpriced_tokens, latency_buckets)
        VALUES (v_day, r.user_id, v_project, r.model, r.interaction_type, 1, v_failed,
                COALESCE(r.input_tokens, 0), COALESCE(r.output_tokens, 0), r.cache_read_tokens,
                r.cache_write_tokens, r.cache_write_1h_tokens, COALESCE(r.execution_time_ms, 0),
                COALESCE(r.cost_usd, 0), v_unpriced, v_unpriced * v_tokens, vf_one_latency(r.execution_time_ms))
        ON CONFLICT (day, user_id, project_id, model, interaction_type) DO UPDATE
           SET interactions = u.interactions + 1,
               failures = u.failures + EXCLUDED.failures,
               input_tokens = u.input_tokens + EXCLUDED.input_tokens,
               output_tokens = u.output_tokens + EXCLUDED.output_tokens,
               cache_read_tokens = u.cache_read_tokens + EXCLUDED.cache_read_tokens,
               cache_write_tokens = u.cache_write_tokens + EXCLUDED.cache_write_tokens,
               cache_write_1h_tokens = u.cache_write_1h_tokens + EXCLUDED.cache_write_1h_tokens,
               execution_time_ms = u.execution_time_ms + EXCLUDED.execution_time_ms,
               cost_usd = u.cost_usd + EXCLUDED.cost_usd,
               unpriced_interactions = u.unpriced_interactions + EXCLUDED.unpriced_interactions,
               unpriced_tokens = u.unpriced_tokens + EXCLUDED.unpriced_tokens,
               latency_buckets = vf_add_buckets(u.latency_buckets, EXCLUDED.latency_buckets, 1);
    ELSE
        UPDATE claude_usage_daily u
           SET interactions = u.interactions - 1,
               failures = u.failures - v_failed,
               input_tokens = u.input_tokens - COALESCE(r.input_tokens, 0),
               output_tokens = u.output_tokens - COALESCE(r.output_tokens, 0),
               cache_read_tokens = u.cache_read_tokens - r.cache_read_tokens,
               cache_write_tokens = u.cache_write_tokens - r.cache_write_tokens,
               cache_write_1h_tokens = u.cache_write_1h_tokens - r.cache_write_1h_tokens,
               execution_time_ms = u.execution_time_ms - COALESCE(r.execution_time_ms, 0),
               cost_usd = u.cost_usd - COALESCE(r.cost_usd, 0),
               unpriced_interactions = u.unpriced_interactions - v_unpriced,
               unpriced_tokens = u.unpriced_tokens - v_unpriced * v_tokens,
               latency_buckets = vf_add_buckets(u.latency_buckets, vf_one_latency(r.execution_time_ms), -1)
         WHERE u.day = v_day AND u.user_id = r.user_id AND u.project_id = v_project
           AND u.model = r.model AND u.interaction_type = r.interaction_type
        RETURNING u.interactions INTO v_remaining;
        IF v_remaining = 0 THEN
            DELETE FROM claude_usage_daily u
             WHERE u.day = v_day AND u.user_id = r.user_id AND u.project_id = v_project
               AND u.model = r.model AND u.interaction_type = r.interaction_type AND u.interactions = 0;
        END IF;
    END IF;
END;
$$;

-- The rollup's update trigger also follows deleted_project_id (part of the key now).
DROP TRIGGER claude_interactions_rollup_update ON claude_interactions;
CREATE TRIGGER claude_interactions_rollup_update
    AFTER UPDATE OF created_at, user_id, project_id, deleted_project_id, model, interaction_type, success, status,
                    input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens,
                    execution_time_ms, cost_usd
    ON claude_interactions
    FOR EACH ROW EXECUTE FUNCTION vf_claude_interactions_rollup();
