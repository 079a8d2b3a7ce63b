-- Coarser usage rollups for the admin dashboard (issue 9, items 11 and 14). claude_usage_daily, keyed (day, user,
-- project, model, interaction type), compresses the raw interactions only ~3x, so a 90-day dashboard still summed
-- ~75,000 rows (and 48 latency counters on each). Three rollups of it, kept exact by a row trigger on
-- claude_usage_daily itself, answer the dashboard from far fewer rows:
--   claude_usage_daily_models   (day, model, interaction_type): totals, latency, series, by model, by type, unpriced
--   claude_usage_daily_users    (day, user_id):    top users, active users
--   claude_usage_daily_projects (day, project_id): top projects, active projects
-- Each holds the same sums as claude_usage_daily (the latency histogram only in the models rollup, where the
-- dashboard reads it). A row whose count reaches 0 is deleted, so each rollup equals a GROUP BY of
-- claude_usage_daily at every commit.

CREATE TABLE claude_usage_daily_models (
    day DATE NOT NULL,
    model VARCHAR(100) NOT NULL,
    interaction_type VARCHAR(50) NOT NULL,
    interactions INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    input_tokens BIGINT NOT NULL DEFAULT 0,
    output_tokens BIGINT NOT NULL DEFAULT 0,
    cache_read_tokens BIGINT NOT NULL DEFAULT 0,
    cache_write_tokens BIGINT NOT NULL DEFAULT 0,
    cache_write_1h_tokens BIGINT NOT NULL DEFAULT 0,
    execution_time_ms BIGINT NOT NULL DEFAULT 0,
    cost_usd NUMERIC(18,6) NOT NULL DEFAULT 0,
    unpriced_interactions INTEGER NOT NULL DEFAULT 0,
    unpriced_tokens BIGINT NOT NULL DEFAULT 0,
    latency_buckets INTEGER[] NOT NULL DEFAULT array_fill(0, ARRAY[48]),
    PRIMARY KEY (day, model, interaction_type)
);

CREATE TABLE claude_usage_daily_users (
    day DATE NOT NULL,
    user_id UUID NOT NULL,
    interactions INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    input_tokens BIGINT NOT NULL DEFAULT 0,
    output_tokens BIGINT NOT NULL DEFAULT 0,
    cache_read_tokens BIGINT NOT NULL DEFAULT 0,
    cache_write_tokens BIGINT NOT NULL DEFAULT 0,
    cache_write_1h_tokens BIGINT NOT NULL DEFAULT 0,
    execution_time_ms BIGINT NOT NULL DEFAULT 0,
    cost_usd NUMERIC(18,6) NOT NULL DEFAULT 0,
    unpriced_interactions INTEGER NOT NULL DEFAULT 0,
    unpriced_tokens BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, user_id)
);

CREATE TABLE claude_usage_daily_projects (
    day DATE NOT NULL,
    project_id UUID NOT NULL,
    interactions INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    input_tokens BIGINT NOT NULL DEFAULT 0,
    output_tokens BIGINT NOT NULL DEFAULT 0,
    cache_read_tokens BIGINT NOT NULL DEFAULT 0,
    cache_write_tokens BIGINT NOT NULL DEFAULT 0,
    cache_write_1h_tokens BIGINT NOT NULL DEFAULT 0,
    execution_time_ms BIGINT NOT NULL DEFAULT 0,
    cost_usd NUMERIC(18,6) NOT NULL DEFAULT 0,
    unpriced_interactions INTEGER NOT NULL DEFAULT 0,
    unpriced_tokens BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, project_id)
);

-- Adds one delta of claude_usage_daily (a row's sums, negated or NEW - OLD; same key) to the three rollups:
-- INSERT ... ON CONFLICT DO UPDATE, then delete-at-zero. A delta of all zeros changes nothing and is skipped.
-- Row locks are taken in one order (models, users, projects) after the claude_usage_daily row's, so concurrent
-- writers queue on the rows they share and never deadlock between themselves.
CREATE FUNCTION vf_claude_usage_rollups_add(d claude_usage_daily) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_remaining integer;
BEGIN
    IF d.interactions = 0 AND d.failures = 0 AND d.input_tokens = 0 AND d.output_tokens = 0
       AND d.cache_read_tokens = 0 AND d.cache_write_tokens = 0 AND d.cache_write_1h_tokens = 0
       AND d.execution_time_ms = 0 AND d.cost_usd = 0 AND d.unpriced_interactions = 0 AND d.unpriced_tokens = 0
       AND 0 = ALL (d.latency_buckets) THEN
        RETURN;
    END IF;

    INSERT INTO claude_usage_daily_models AS m (day, model, interaction_type, interactions, failures, input_tokens,
                                               output_tokens, cache_read_tokens, cache_write_tokens,
                                               cache_write_1h_tokens, execution_time_ms, cost_usd,
                                               unpriced_interactions, unpriced_tokens, latency_buckets)
    VALUES (d.day, d.model, d.interaction_type, d.interactions, d.failures, d.input_tokens, d.output_tokens,
            d.cache_read_tokens, d.cache_write_tokens, d.cache_write_1h_tokens, d.execution_time_ms, d.cost_usd,
            d.unpriced_interactions, d.unpriced_tokens, d.latency_buckets)
    ON CONFLICT (day, model, interaction_type) DO UPDATE
       SET interactions = m.interactions + EXCLUDED.interactions,
           failures = m.failures + EXCLUDED.failures,
           input_tokens = m.input_tokens + EXCLUDED.input_tokens,
           output_tokens = m.output_tokens + EXCLUDED.output_tokens,
           cache_read_tokens = m.cache_read_tokens + EXCLUDED.cache_read_tokens,
           cache_write_tokens = m.cache_write_tokens + EXCLUDED.cache_write_tokens,
           cache_write_1h_tokens = m.cache_write_1h_tokens + EXCLUDED.cache_write_1h_tokens,
           execution_time_ms = m.execution_time_ms + EXCLUDED.execution_time_ms,
           cost_usd = m.cost_usd + EXCLUDED.cost_usd,
           unpriced_interactions = m.unpriced_interactions + EXCLUDED.unpriced_interactions,
           unpriced_tokens = m.unpriced_tokens + EXCLUDED.unpriced_tokens,
           latency_buckets = vf_add_buckets(m.latency_buckets, EXCLUDED.latency_buckets, 1)
    RETURNING m.interactions INTO v_remaining;
    IF v_remaining = 0 THEN
        DELETE FROM claude_usage_daily_models m
         WHERE m.day = d.day AND m.model = d.model AND m.interaction_type = d.interaction_type
           AND m.interactions = 0;
    END IF;

    INSERT INTO claude_usage_daily_users AS u (day, user_id, interactions, failures, input_tokens, output_tokens,
                                              cache_read_tokens, cache_write_tokens, cache_write_1h_tokens,
                                              execution_time_ms, cost_usd, unpriced_interactions, unpriced_tokens)
    VALUES (d.day, d.user_id, d.interactions, d.failures, d.input_tokens, d.output_tokens, d.cache_read_tokens,
            d.cache_write_tokens, d.cache_write_1h_tokens, d.execution_time_ms, d.cost_usd, d.unpriced_interactions,
            d.unpriced_tokens)
    ON CONFLICT (day, user_id) DO UPDATE
       SET interactions = u.interactions + EXCLUDED.interactions,
           failures = u.failures + EXCLUDED.failures,
           input_tokens = u.input_tokens + EXCLUDED.input_tokens,
           output_tokens = u.output_tokens + EXCLUDED.output_tokens,
           cache_read_tokens = u.cache_read_tokens + EXCLUDED.cache_read_tokens,
           cache_write_tokens = u.cache_write_tokens + EXCLUDED.cache_write_tokens,
           cache_write_1h_tokens = u.cache_write_1h_tokens + EXCLUDED.cache_write_1h_tokens,
           execution_time_ms = u.execution_time_ms + EXCLUDED.execution_time_ms,
           cost_usd = u.cost_usd + EXCLUDED.cost_usd,
           unpriced_interactions = u.unpriced_interactions + EXCLUDED.unpriced_interactions,
           unpriced_tokens = u.unpriced_tokens + EXCLUDED.unpriced_tokens
    RETURNING u.interactions INTO v_remaining;
    IF v_remaining = 0 THEN
        DELETE FROM claude_usage_daily_users u
         WHERE u.day = d.day AND u.user_id = d.user_id AND u.interactions = 0;
    END IF;

    INSERT INTO claude_usage_daily_projects AS p (day, project_id, interactions, failures, input_tokens,
                                                 output_tokens, cache_read_tokens, cache_write_tokens,
                                                 cache_write_1h_tokens, execution_time_ms, cost_usd,
                                                 unpriced_interactions, unpriced_tokens)
    VALUES (d.day, d.project_id, d.interactions, d.failures, d.input_tokens, d.output_tokens, d.cache_read_tokens,
            d.cache_write_tokens, d.cache_write_1h_tokens, d.execution_time_ms, d.cost_usd, d.unpriced_interactions,
            d.unpriced_tokens)
    ON CONFLICT (day, project_id) DO UPDATE
       SET interactions = p.interactions + EXCLUDED.interactions,
           failures = p.failures + EXCLUDED.failures,
           input_tokens = p.input_tokens + EXCLUDED.input_tokens,
           output_tokens = p.output_tokens + EXCLUDED.output_tokens,
           cache_read_tokens = p.cache_read_tokens + EXCLUDED.cache_read_tokens,
           cache_write_tokens = p.cache_write_tokens + EXCLUDED.cache_write_tokens,
           cache_write_1h_tokens = p.cache_write_1h_tokens + EXCLUDED.cache_write_1h_tokens,
           execution_time_ms = p.execution_time_ms + EXCLUDED.execution_time_ms,
           cost_usd = p.cost_usd + EXCLUDED.cost_usd,
           unpriced_interactions = p.unpriced_interactions + EXCLUDED.unpriced_interactions,
           unpriced_tokens = p.unpriced_tokens + EXCLUDED.unpriced_tokens
    RETURNING p.interactions INTO v_remaining;
    IF v_remaining = 0 THEN
        DELETE FROM claude_usage_daily_projects p
         WHERE p.day = d.day AND p.project_id = d.project_id AND p.interactions = 0;
    END IF;
END;
$$;

-- The negation of a claude_usage_daily row (its key kept).
CREATE FUNCTION vf_claude_usage_negate(r claude_usage_daily) RETURNS claude_usage_daily
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    r.interactions := -r.interactions;
    r.failures := -r.failures;
    r.input_tokens := -r.input_tokens;
    r.output_tokens := -r.output_tokens;
    r.cache_read_tokens := -r.cache_read_tokens;
    r.cache_write_tokens := -r.cache_write_tokens;
    r.cache_write_1h_tokens := -r.cache_write_1h_tokens;
    r.execution_time_ms := -r.execution_time_ms;
    r.cost_usd := -r.cost_usd;
    r.unpriced_interactions := -r.unpriced_interactions;
    r.unpriced_tokens := -r.unpriced_tokens;
    r.latency_buckets := vf_add_buckets(array_fill(0, ARRAY[cardinality(r.latency_buckets)]), r.latency_buckets, -1);
    RETURN r;
END;
$$;

CREATE FUNCTION vf_claude_usage_daily_rollups() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    d claude_usage_daily;
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM vf_claude_usage_rollups_add(NEW);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM vf_claude_usage_rollups_add(vf_claude_usage_negate(OLD));
    ELSIF (NEW.day, NEW.user_id, NEW.project_id, NEW.model, NEW.interaction_type)
          IS NOT DISTINCT FROM (OLD.day, OLD.user_id, OLD.project_id, OLD.model, OLD.interaction_type) THEN
        -- The common case (an interaction added to or taken from its day's row): one delta, NEW - OLD.
        d := NEW;
        d.interactions := NEW.interactions - OLD.interactions;
        d.failures := NEW.failures - OLD.failures;
        d.input_tokens := NEW.input_tokens - OLD.input_tokens;
        d.output_tokens := NEW.output_tokens - OLD.output_tokens;
        d.cache_read_tokens := NEW.cache_read_tokens - OLD.cache_read_tokens;
        d.cache_write_tokens := NEW.cache_write_tokens - OLD.cache_write_tokens;
        d.cache_write_1h_tokens := NEW.cache_write_1h_tokens - OLD.cache_write_1h_tokens;
        d.execution_time_ms := NEW.execution_time_ms - OLD.execution_time_ms;
        d.cost_usd := NEW.cost_usd - OLD.cost_usd;
        d.unpriced_interactions := NEW.unpriced_interactions - OLD.unpriced_interactions;
        d.unpriced_tokens := NEW.unpriced_tokens - OLD.unpriced_tokens;
        d.latency_buckets := vf_add_buckets(NEW.latency_buckets, OLD.latency_buckets, -1);
        PERFORM vf_claude_usage_rollups_add(d);
    ELSE
        -- A row moved to another key (never done by the app, but exact all the same).
        PERFORM vf_claude_usage_rollups_add(vf_claude_usage_negate(OLD));
        PERFORM vf_claude_usage_rollups_add(NEW);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER claude_usage_daily_rollups AFTER INSERT OR UPDATE OR DELETE ON claude_usage_daily
    FOR EACH ROW EXECUTE FUNCTION vf_claude_usage_daily_rollups();

-- Rebuilds the three rollups from claude_usage_daily in one set-based pass (the backfill below, and bulk loads
-- that write claude_usage_daily with its trigger disabled). Locks claude_usage_daily against writers first, so
-- the rebuild sees exactly what it replaces.
CREATE FUNCTION vf_claude_usage_rollups_rebuild() RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    LOCK TABLE claude_usage_daily IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM claude_usage_daily_models;
    DELETE FROM claude_usage_daily_users;
    DELETE FROM claude_usage_daily_projects;

    -- The histogram summed bucket by bucket in one pass: ARRAY[sum(latency_buckets[1]), ..., sum(latency_buckets[48])].
    EXECUTE format(
        'INSERT INTO claude_usage_daily_models (day, model, interaction_type, interactions, failures, input_tokens,
                                                output_tokens, cache_read_tokens, cache_write_tokens,
                                                cache_write_1h_tokens, execution_time_ms, cost_usd,
                                                unpriced_interactions, unpriced_tokens, latency_buckets)
         SELECT day, model, interaction_type, sum(interactions), sum(failures), sum(input_tokens), sum(output_tokens),
                sum(cache_read_tokens), sum(cache_write_tokens), sum(cache_write_1h_tokens), sum(execution_time_ms),
                sum(cost_usd), sum(unpriced_interactions), sum(unpriced_tokens), ARRAY[%s]
           FROM claude_usage_daily GROUP BY 1, 2, 3 HAVING sum(interactions) <> 0',
        (SELECT string_agg(format('sum(latency_buckets[%s])::int', i), ', ' ORDER BY i) FROM generate_series(1, 48) AS i));

    INSERT INTO claude_usage_daily_users (day, user_id, interactions, failures, input_tokens, output_tokens,
                                          cache_read_tokens, cache_write_tokens, cache_write_1h_tokens,
                                          execution_time_ms, cost_usd, unpriced_interactions, unpriced_tokens)
    SELECT day, user_id, sum(interactions), sum(failures), sum(input_tokens), sum(output_tokens),
           sum(cache_read_tokens), sum(cache_write_tokens), sum(cache_write_1h_tokens), sum(execution_time_ms),
           sum(cost_usd), sum(unpriced_interactions), sum(unpriced_tokens)
      FROM claude_usage_daily GROUP BY 1, 2 HAVING sum(interactions) <> 0;

    INSERT INTO claude_usage_daily_projects (day, project_id, interactions, failures, input_tokens, output_tokens,
                                             cache_read_tokens, cache_write_tokens, cache_write_1h_tokens,
                                             execution_time_ms, cost_usd, unpriced_interactions, unpriced_tokens)
    SELECT day, project_id, sum(interactions), sum(failures), sum(input_tokens), sum(output_tokens),
           sum(cache_read_tokens), sum(cache_write_tokens), sum(cache_write_1h_tokens), sum(execution_time_ms),
           sum(cost_usd), sum(unpriced_interactions), sum(unpriced_tokens)
      FROM claude_usage_daily GROUP BY 1, 2 HAVING sum(interactions) <> 0;
END;
$$;

SELECT vf_claude_usage_rollups_rebuild();
