-- The assistant and honest cost (issue 9): conversations, the state of a turn, the cost stored with each
-- interaction and the price row it used, long-context price tiers, staged changes waiting for review, undo,
-- budgets, the admins' audit log, and a rollup that also keeps cost, unpriced usage and a latency histogram.

-- ---------------------------------------------------------------------------------------------------------
-- Conversations
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE claude_conversations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title VARCHAR(200) NOT NULL,
    model VARCHAR(100),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_claude_conversations_project_user ON claude_conversations(project_id, user_id, updated_at DESC);
-- updated_at is the time of the conversation's latest turn (set by whoever adds the turn), not of any edit.

-- Interactions written before conversations existed (the demo's) get one conversation per id they carry.
INSERT INTO claude_conversations (id, project_id, user_id, title, model, created_at, updated_at)
SELECT DISTINCT ON (ci.conversation_id) ci.conversation_id, ci.project_id, ci.user_id,
       left(regexp_replace(ci.user_message, '\s+', ' ', 'g'), 80), ci.model,
       COALESCE(ci.created_at, NOW()), COALESCE(ci.created_at, NOW())
  FROM claude_interactions ci
 WHERE ci.conversation_id IS NOT NULL
 ORDER BY ci.conversation_id, ci.created_at;
UPDATE claude_conversations c
   SET updated_at = last.at
  FROM (SELECT conversation_id, max(created_at) AS at FROM claude_interactions
         WHERE conversation_id IS NOT NULL GROUP BY conversation_id) last
 WHERE last.conversation_id = c.id AND last.at IS NOT NULL;

-- ---------------------------------------------------------------------------------------------------------
-- Prices: a long-context tier (the whole request at the higher rates once its prompt passes the threshold)
-- ---------------------------------------------------------------------------------------------------------
ALTER TABLE model_prices
    ADD COLUMN long_context_threshold INTEGER CHECK (long_context_threshold > 0),
    ADD COLUMN long_input_per_mtok NUMERIC(12,6) CHECK (long_input_per_mtok >= 0),
    ADD COLUMN long_output_per_mtok NUMERIC(12,6) CHECK (long_output_per_mtok >= 0),
    ADD COLUMN long_cache_read_per_mtok NUMERIC(12,6) CHECK (long_cache_read_per_mtok >= 0),
    ADD COLUMN long_cache_write_per_mtok NUMERIC(12,6) CHECK (long_cache_write_per_mtok >= 0),
    ADD COLUMN long_cache_write_1h_per_mtok NUMERIC(12,6) CHECK (long_cache_write_1h_per_mtok >= 0),
    ADD COLUMN created_by UUID REFERENCES users(id) ON DELETE SET NULL,
    ADD COLUMN note VARCHAR(500),
    ADD CONSTRAINT model_prices_long_context_complete CHECK (
        (long_context_threshold IS NULL) = (long_input_per_mtok IS NULL)
        AND (long_context_threshold IS NULL) = (long_output_per_mtok IS NULL)
        AND (long_context_threshold IS NULL) = (long_cache_read_per_mtok IS NULL)
        AND (long_context_threshold IS NULL) = (long_cache_write_per_mtok IS NULL)
        AND (long_context_threshold IS NULL) = (long_cache_write_1h_per_mtok IS NULL));

-- ---------------------------------------------------------------------------------------------------------
-- Interactions: state, stored cost, review and undo
-- ---------------------------------------------------------------------------------------------------------
ALTER TABLE claude_interactions
    ADD COLUMN status VARCHAR(20) NOT NULL DEFAULT 'succeeded'
        CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
    ADD COLUMN cost_usd NUMERIC(14,6) CHECK (cost_usd >= 0),
    ADD COLUMN price_id UUID REFERENCES model_prices(id) ON DELETE RESTRICT,
    ADD COLUMN review_state VARCHAR(20)
        CHECK (review_state IN ('applied', 'pending', 'partial', 'accepted', 'rejected', 'conflict')),
    ADD COLUMN undone_at TIMESTAMP WITH TIME ZONE,
    ADD COLUMN undone_by UUID REFERENCES users(id) ON DELETE SET NULL;
UPDATE claude_interactions SET status = 'failed' WHERE success IS FALSE;
ALTER TABLE claude_interactions
    ADD CONSTRAINT claude_interactions_conversation_id_fkey
        FOREIGN KEY (conversation_id) REFERENCES claude_conversations(id) ON DELETE SET NULL;
CREATE INDEX idx_claude_interactions_running ON claude_interactions(created_at) WHERE status = 'running';
CREATE INDEX idx_claude_interactions_price ON claude_interactions(price_id) WHERE price_id IS NOT NULL;

-- The price row in effect for a model at a moment: the latest effective_from <= the moment (NULL: unpriced).
CREATE FUNCTION vf_price_at(p_model varchar, p_at timestamptz) RETURNS model_prices
LANGUAGE sql STABLE
AS $$
    SELECT p.* FROM model_prices p
     WHERE p.model = p_model AND p.effective_from <= p_at
     ORDER BY p.effective_from DESC
     LIMIT 1
$$;

-- The cost of token counts at a price row, as one request (the tier decided by all its prompt tokens). The app
-- prices each model call of a turn on its own (src/lib/pricing.ts); this is for rows without per-call usage
-- (the demo's, imported history) and must give the same answer for a one-call turn.
CREATE FUNCTION vf_tokens_cost(p model_prices, p_input bigint, p_output bigint, p_cache_read bigint,
                               p_cache_write bigint, p_cache_write_1h bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE
AS $$
    SELECT round(CASE
        WHEN p.long_context_threshold IS NOT NULL
             AND p_input + p_cache_read + p_cache_write + p_cache_write_1h > p.long_context_threshold THEN
            (p_input * p.long_input_per_mtok + p_output * p.long_output_per_mtok
             + p_cache_read * p.long_cache_read_per_mtok + p_cache_write * p.long_cache_write_per_mtok
             + p_cache_write_1h * p.long_cache_write_1h_per_mtok) / 1000000
        ELSE
            (p_input * p.input_per_mtok + p_output * p.output_per_mtok
             + p_cache_read * p.cache_read_per_mtok + p_cache_write * p.cache_write_per_mtok
             + p_cache_write_1h * p.cache_write_1h_per_mtok) / 1000000
        END, 6)
$$;

-- Stores cost_usd and price_id on finished interactions that have none yet (from_ts/to_ts bound the rows;
-- NULL: all). Answers how many rows it priced. Rows whose model has no price stay NULL: unpriced, never $0.
CREATE FUNCTION vf_backfill_interaction_costs(p_from timestamptz DEFAULT NULL, p_to timestamptz DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_count integer;
BEGIN
    UPDATE claude_interactions ci
       SET price_id = (vf_price_at(ci.model, ci.created_at)).id,
           cost_usd = vf_tokens_cost(vf_price_at(ci.model, ci.created_at), COALESCE(ci.input_tokens, 0),
                                     COALESCE(ci.output_tokens, 0), ci.cache_read_tokens, ci.cache_write_tokens,
                                     ci.cache_write_1h_tokens)
     WHERE ci.price_id IS NULL AND ci.status <> 'running'
       AND (p_from IS NULL OR ci.created_at >= p_from) AND (p_to IS NULL OR ci.created_at < p_to)
       AND (vf_price_at(ci.model, ci.created_at)).id IS NOT NULL;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;

-- ---------------------------------------------------------------------------------------------------------
-- Changes of a turn waiting for review (preference assistantApply = "review")
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE claude_pending_changes (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    interaction_id UUID NOT NULL REFERENCES claude_interactions(id) ON DELETE CASCADE,
    project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    file_path TEXT NOT NULL,
    -- write: content is the new text (or base64 of bytes when is_binary); delete: content is NULL.
    action VARCHAR(10) NOT NULL CHECK (action IN ('write', 'delete')),
    content TEXT,
    is_binary BOOLEAN NOT NULL DEFAULT FALSE,
    -- The file Claude read (NULL: it did not exist), so a change made since is a conflict, never overwritten.
    base_file_id UUID,
    base_version INTEGER,
    status VARCHAR(20) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'accepted', 'rejected', 'conflict')),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    decided_at TIMESTAMP WITH TIME ZONE,
    CHECK ((action = 'delete') = (content IS NULL)),
    UNIQUE (interaction_id, file_path)
);
CREATE INDEX idx_claude_pending_changes_project ON claude_pending_changes(project_id) WHERE status = 'pending';

-- ---------------------------------------------------------------------------------------------------------
-- Budgets (USD per calendar month, UTC). Defaults live in install_settings (ai_budget_default_usd,
-- ai_budget_premium_usd); a user's override and a project's budget here. NULL: the default / no project budget.
-- ---------------------------------------------------------------------------------------------------------
ALTER TABLE users
    ADD COLUMN ai_budget_usd NUMERIC(12,2) CHECK (ai_budget_usd >= 0 AND ai_budget_usd <= 1000000);
ALTER TABLE projects
    ADD COLUMN ai_budget_usd NUMERIC(12,2) CHECK (ai_budget_usd >= 0 AND ai_budget_usd <= 1000000);

-- ---------------------------------------------------------------------------------------------------------
-- What admins did on purpose (prices added, a date range re-priced, budgets changed), with before/after figures
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE admin_audit_log (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    admin_id UUID REFERENCES users(id) ON DELETE SET NULL,
    action VARCHAR(50) NOT NULL,
    target JSONB NOT NULL DEFAULT '{}',
    details JSONB NOT NULL DEFAULT '{}',
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_admin_audit_log_created ON admin_audit_log(created_at DESC);

-- ---------------------------------------------------------------------------------------------------------
-- The rollup: cost (the stored one), unpriced usage, and turn latency as a histogram (percentiles cannot be
-- averaged, histograms can be summed). A running turn is not counted until it ends.
-- ---------------------------------------------------------------------------------------------------------

-- 48 buckets: 0 under 50 ms, b in 1..46 [50*1.25^(b-1), 50*1.25^b) ms, 47 the rest. Same as src/lib/latency-buckets.ts.
CREATE FUNCTION vf_latency_bucket(p_ms integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN p_ms IS NULL OR p_ms < 50 THEN 0
                ELSE least(47, 1 + floor(ln(p_ms::double precision / 50) / ln(1.25))::integer) END
$$;

-- a + sign * b, element by element (arrays of one length).
CREATE FUNCTION vf_add_buckets(a integer[], b integer[], p_sign integer) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT array_agg(x + p_sign * y ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;

-- A histogram with one turn in the bucket of p_ms.
CREATE FUNCTION vf_one_latency(p_ms integer) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT array_agg(CASE WHEN i = vf_latency_bucket(p_ms) THEN 1 ELSE 0 END ORDER BY i)
      FROM generate_series(0, 47) AS i
$$;

ALTER TABLE claude_usage_daily
    ADD COLUMN cost_usd NUMERIC(18,6) NOT NULL DEFAULT 0,
    ADD COLUMN unpriced_interactions INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN unpriced_tokens BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN latency_buckets INTEGER[] NOT NULL DEFAULT array_fill(0, ARRAY[48]);

CREATE OR REPLACE FUNCTION vf_claude_usage_apply(r claude_interactions, p_sign integer) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_day date := vf_utc_day(r.created_at);
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
        VALUES (v_day, r.user_id, r.project_id, r.model, r.interaction_type, 1, v_failed,
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
         WHERE u.day = v_day AND u.user_id = r.user_id AND u.project_id = r.project_id
           AND u.model = r.model AND u.interaction_type = r.interaction_type
        RETURNING u.interactions INTO v_remaining;
        IF v_remaining = 0 THEN
            DELETE FROM claude_usage_daily u
             WHERE u.day = v_day AND u.user_id = r.user_id AND u.project_id = r.project_id
               AND u.model = r.model AND u.interaction_type = r.interaction_type AND u.interactions = 0;
        END IF;
    END IF;
END;
$$;

DROP TRIGGER claude_interactions_rollup_update ON claude_interactions;
CREATE TRIGGER claude_interactions_rollup_update
    AFTER UPDATE OF created_at, user_id, project_id, model, interaction_type, success, status, input_tokens,
                    output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens,
                    execution_time_ms, cost_usd
    ON claude_interactions
    FOR EACH ROW EXECUTE FUNCTION vf_claude_interactions_rollup();

-- Existing rows get their stored cost, then the rollup is rebuilt with the new columns.
SELECT vf_backfill_interaction_costs();
DELETE FROM claude_usage_daily;
SELECT vf_claude_usage_apply(ci, 1) FROM claude_interactions ci ORDER BY ci.created_at;

-- Cost now comes from the stored column (the price in effect when each interaction ran, re-priced only on purpose
-- by an admin), no longer from views that priced every read.
DROP VIEW claude_interaction_costs;
DROP VIEW claude_usage_daily_costs;
