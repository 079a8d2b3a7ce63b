-- Vaporform initial schema: the reference data contract (shared/reference/database-schema.md) with the
-- twelve fixes described in docs/schema.md. Applied once, inside one transaction, by our migrator.

CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- ---------------------------------------------------------------------------------------------------------
-- Helper functions used by constraints and indexes
-- ---------------------------------------------------------------------------------------------------------

-- Bounded full-text document: a 3 MB minified file must save, and only its first part is indexed.
CREATE FUNCTION vf_search_vector(doc text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT to_tsvector('simple'::regconfig, left(doc, 200000)) $$;

-- True when every value of the object is an AES-256-GCM envelope `v<keyVersion>:<nonce b64>:<ct+tag b64>`.
CREATE FUNCTION vf_env_vars_encrypted(vars jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT vars IS NULL
      OR (jsonb_typeof(vars) = 'object'
          AND NOT EXISTS (
            SELECT 1
              FROM jsonb_each(vars) AS e(name, value)
             WHERE jsonb_typeof(e.value) <> 'string'
                OR (e.value #>> '{}') !~ '^v[0-9]{1,5}:[A-Za-z0-9+/]+={0,2}:[A-Za-z0-9+/]+={0,2}$'))
$$;

-- UTC calendar day of a timestamp (days are UTC everywhere).
CREATE FUNCTION vf_utc_day(ts timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (COALESCE(ts, 'epoch'::timestamptz) AT TIME ZONE 'UTC')::date $$;

-- ---------------------------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------------------------

CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email CITEXT NOT NULL UNIQUE CHECK (char_length(email) <= 255),
    username CITEXT NOT NULL UNIQUE CHECK (char_length(username) <= 50),
    full_name VARCHAR(255) NOT NULL,
    avatar_url TEXT,
    password_hash VARCHAR(255) NOT NULL,
    role VARCHAR(20) NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),

    bio TEXT,
    location VARCHAR(255),
    website_url TEXT,
    github_username VARCHAR(255),

    email_verified BOOLEAN DEFAULT FALSE,
    is_active BOOLEAN DEFAULT TRUE,
    is_premium BOOLEAN DEFAULT FALSE,

    preferences JSONB DEFAULT '{}',
    settings JSONB DEFAULT '{}',

    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    last_login_at TIMESTAMP WITH TIME ZONE,
    email_verified_at TIMESTAMP WITH TIME ZONE
);

CREATE INDEX idx_users_github_username ON users(github_username);
CREATE INDEX idx_users_created_at ON users(created_at);
CREATE INDEX idx_users_is_active ON users(is_active);

CREATE TABLE project_templates (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    created_by UUID REFERENCES users(id) ON DELETE SET NULL,

    name VARCHAR(255) NOT NULL,
    description TEXT NOT NULL,
    category VARCHAR(100) NOT NULL,
    tags TEXT[],

    tech_stack JSONB NOT NULL,
    default_integrations JSONB DEFAULT '{}',
    file_structure JSONB NOT NULL,

    is_public BOOLEAN DEFAULT FALSE,
    is_featured BOOLEAN DEFAULT FALSE,
    is_official BOOLEAN DEFAULT FALSE,

    usage_count INTEGER DEFAULT 0,
    rating_average DECIMAL(3,2) DEFAULT 0,
    rating_count INTEGER DEFAULT 0,
    rating_sum INTEGER NOT NULL DEFAULT 0,

    version VARCHAR(20) DEFAULT '1.0.0',
    changelog TEXT,

    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    published_at TIMESTAMP WITH TIME ZONE,

    CHECK (rating_average >= 0 AND rating_average <= 5),
    CHECK (usage_count >= 0),
    CHECK (rating_count >= 0),
    CHECK (rating_sum >= 0)
);

CREATE INDEX idx_project_templates_category ON project_templates(category);
CREATE INDEX idx_project_templates_public ON project_templates(is_public);
CREATE INDEX idx_project_templates_featured ON project_templates(is_featured);
CREATE INDEX idx_project_templates_usage ON project_templates(usage_count DESC);
CREATE INDEX idx_project_templates_rating ON project_templates(rating_average DESC);
CREATE INDEX idx_project_templates_tags ON project_templates USING gin(tags);
CREATE INDEX idx_project_templates_created_by ON project_templates(created_by);

CREATE TABLE projects (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    template_id UUID REFERENCES project_templates(id) ON DELETE SET NULL,

    name VARCHAR(255) NOT NULL,
    description TEXT NOT NULL,
    functionality TEXT,

    architecture_type VARCHAR(50) NOT NULL DEFAULT 'monolithic',
    tech_stack JSONB NOT NULL,
    integrations JSONB DEFAULT '{}',
    environment_vars JSONB DEFAULT '{}' CHECK (vf_env_vars_encrypted(environment_vars)),

    status VARCHAR(50) NOT NULL DEFAULT 'creating',
    health_status VARCHAR(50) DEFAULT 'unknown',

    container_id VARCHAR(255),
    service_url TEXT,
    internal_ip INET,
    allocated_port INTEGER,

    memory_limit_mb INTEGER DEFAULT 1024,
    cpu_limit_percent INTEGER DEFAULT 100,
    storage_limit_mb INTEGER DEFAULT 5120,

    repository_type VARCHAR(50) DEFAULT 'new',
    repository_url TEXT,
    repository_branch VARCHAR(255) DEFAULT 'main',
    last_sync_at TIMESTAMP WITH TIME ZONE,

    total_files INTEGER DEFAULT 0,
    total_size_bytes BIGINT DEFAULT 0,
    last_activity_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deployment_count INTEGER DEFAULT 0,

    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deployed_at TIMESTAMP WITH TIME ZONE,
    archived_at TIMESTAMP WITH TIME ZONE,

    UNIQUE(user_id, name),
    CHECK (memory_limit_mb > 0),
    CHECK (cpu_limit_percent > 0 AND cpu_limit_percent <= 100),
    CHECK (allocated_port IS NULL OR (allocated_port >= 1000 AND allocated_port <= 65535))
);

CREATE INDEX idx_projects_status ON projects(status);
CREATE INDEX idx_projects_created_at ON projects(created_at);
CREATE INDEX idx_projects_last_activity ON projects(last_activity_at);
CREATE INDEX idx_projects_architecture ON projects(architecture_type);
CREATE INDEX idx_projects_container_id ON projects(container_id);
CREATE INDEX idx_projects_template_id ON projects(template_id);

CREATE TABLE project_files (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,

    file_path TEXT NOT NULL,
    file_name VARCHAR(255) NOT NULL,
    file_type VARCHAR(50),
    mime_type VARCHAR(100),

    content TEXT NOT NULL,
    content_hash VARCHAR(64),
    encoding VARCHAR(20) DEFAULT 'utf-8',

    size_bytes INTEGER DEFAULT 0,
    line_count INTEGER DEFAULT 0,
    is_binary BOOLEAN DEFAULT FALSE,
    is_generated BOOLEAN DEFAULT FALSE,

    version INTEGER DEFAULT 1,
    parent_version_id UUID REFERENCES project_files(id),

    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    created_by UUID REFERENCES users(id),
    updated_by UUID REFERENCES users(id),

    UNIQUE(project_id, file_path),
    CHECK (size_bytes >= 0),
    CHECK (line_count >= 0),
    CHECK (version > 0),
    CHECK (NOT is_binary OR encoding = 'base64')
);

CREATE INDEX idx_project_files_path ON project_files(file_path);
CREATE INDEX idx_project_files_type ON project_files(file_type);
CREATE INDEX idx_project_files_updated_at ON project_files(updated_at);
CREATE INDEX idx_project_files_content_hash ON project_files(content_hash);
CREATE INDEX idx_project_files_is_generated ON project_files(is_generated);
-- Without it every deleted file would scan the table for rows naming it as their parent.
CREATE INDEX idx_project_files_parent_version_id ON project_files(parent_version_id)
    WHERE parent_version_id IS NOT NULL;
CREATE INDEX idx_project_files_content_search ON project_files
    USING gin (vf_search_vector(content)) WHERE NOT is_binary;
CREATE INDEX idx_project_files_content_trgm ON project_files
    USING gin (content gin_trgm_ops) WHERE NOT is_binary;
CREATE INDEX idx_project_files_path_trgm ON project_files USING gin (file_path gin_trgm_ops);

CREATE TABLE claude_interactions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    interaction_type VARCHAR(50) NOT NULL,
    user_message TEXT NOT NULL,
    claude_response TEXT NOT NULL,

    context_data JSONB DEFAULT '{}',
    affected_files TEXT[],
    commands_executed TEXT[],

    success BOOLEAN DEFAULT TRUE,
    error_message TEXT,
    execution_time_ms INTEGER,

    input_tokens INTEGER,
    output_tokens INTEGER,
    total_tokens INTEGER,

    model VARCHAR(100) NOT NULL DEFAULT 'unknown',
    cache_read_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0,
    stop_reason VARCHAR(50),
    conversation_id UUID,
    service_tier VARCHAR(20),

    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    completed_at TIMESTAMP WITH TIME ZONE,

    CHECK (input_tokens >= 0),
    CHECK (output_tokens >= 0),
    CHECK (total_tokens >= 0),
    CHECK (cache_read_tokens >= 0),
    CHECK (cache_write_tokens >= 0),
    CHECK (cache_write_1h_tokens >= 0)
);

CREATE INDEX idx_claude_interactions_project_id ON claude_interactions(project_id);
CREATE INDEX idx_claude_interactions_user_id ON claude_interactions(user_id);
CREATE INDEX idx_claude_interactions_type ON claude_interactions(interaction_type);
CREATE INDEX idx_claude_interactions_created_at ON claude_interactions(created_at);
CREATE INDEX idx_claude_interactions_success ON claude_interactions(success);
CREATE INDEX idx_claude_interactions_conversation ON claude_interactions(conversation_id, created_at);
CREATE INDEX idx_claude_interactions_model ON claude_interactions(model);

CREATE TABLE project_activity (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_id UUID REFERENCES users(id) ON DELETE SET NULL,

    activity_type VARCHAR(50) NOT NULL,
    description TEXT NOT NULL,

    metadata JSONB DEFAULT '{}',
    affected_resources TEXT[],

    before_state JSONB,
    after_state JSONB,

    source_type VARCHAR(50) NOT NULL,
    source_id UUID,

    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),

    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE TABLE project_activity_default PARTITION OF project_activity DEFAULT;

CREATE INDEX idx_project_activity_project_id ON project_activity(project_id, created_at DESC);
CREATE INDEX idx_project_activity_user_id ON project_activity(user_id);
CREATE INDEX idx_project_activity_type ON project_activity(activity_type);
CREATE INDEX idx_project_activity_created_at ON project_activity(created_at);
CREATE INDEX idx_project_activity_source ON project_activity(source_type, source_id);

CREATE TABLE infrastructure_resources (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,

    resource_type VARCHAR(50) NOT NULL,
    resource_name VARCHAR(255) NOT NULL,
    resource_id VARCHAR(255) NOT NULL,

    configuration JSONB DEFAULT '{}',

    status VARCHAR(50) NOT NULL DEFAULT 'active',
    health_check_url TEXT,
    last_health_check TIMESTAMP WITH TIME ZONE,
    health_status VARCHAR(50) DEFAULT 'unknown',

    cpu_usage_percent DECIMAL(5,2),
    memory_usage_mb INTEGER,
    disk_usage_mb INTEGER,
    network_in_bytes BIGINT DEFAULT 0,
    network_out_bytes BIGINT DEFAULT 0,

    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    last_metrics_at TIMESTAMP WITH TIME ZONE,

    UNIQUE(project_id, resource_type, resource_name)
);

CREATE INDEX idx_infra_resources_type ON infrastructure_resources(resource_type);
CREATE INDEX idx_infra_resources_status ON infrastructure_resources(status);
CREATE INDEX idx_infra_resources_health ON infrastructure_resources(health_status);

CREATE TABLE project_integrations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    service_name VARCHAR(100) NOT NULL,
    service_type VARCHAR(50) NOT NULL,

    configuration JSONB DEFAULT '{}',
    api_key_encrypted TEXT,
    webhook_url TEXT,
    webhook_secret_encrypted TEXT,
    key_version SMALLINT NOT NULL DEFAULT 1,

    is_active BOOLEAN DEFAULT TRUE,
    is_configured BOOLEAN DEFAULT FALSE,
    last_test_result JSONB,
    last_tested_at TIMESTAMP WITH TIME ZONE,

    request_count INTEGER DEFAULT 0,
    last_request_at TIMESTAMP WITH TIME ZONE,
    error_count INTEGER DEFAULT 0,
    last_error_at TIMESTAMP WITH TIME ZONE,

    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),

    UNIQUE(project_id, service_name)
);

CREATE INDEX idx_project_integrations_service ON project_integrations(service_name);
CREATE INDEX idx_project_integrations_active ON project_integrations(is_active);

CREATE TABLE project_file_versions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    file_id UUID NOT NULL,
    project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    file_path TEXT NOT NULL,
    version INTEGER NOT NULL,
    content TEXT NOT NULL,
    content_hash VARCHAR(64),
    size_bytes INTEGER NOT NULL DEFAULT 0,
    encoding VARCHAR(20) NOT NULL DEFAULT 'utf-8',
    is_binary BOOLEAN NOT NULL DEFAULT FALSE,
    source_type VARCHAR(50) NOT NULL DEFAULT 'system',
    interaction_id UUID REFERENCES claude_interactions(id) ON DELETE SET NULL,
    created_by UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),

    UNIQUE (file_id, version)
);

CREATE INDEX idx_project_file_versions_path ON project_file_versions(project_id, file_path, version DESC);
CREATE INDEX idx_project_file_versions_interaction_id ON project_file_versions(interaction_id)
    WHERE interaction_id IS NOT NULL;

CREATE TABLE template_ratings (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    template_id UUID NOT NULL REFERENCES project_templates(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    rating SMALLINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    review TEXT CHECK (char_length(review) <= 5000),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),

    UNIQUE (template_id, user_id)
);

CREATE INDEX idx_template_ratings_user_id ON template_ratings(user_id);

CREATE TABLE model_prices (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    model VARCHAR(100) NOT NULL,
    effective_from TIMESTAMP WITH TIME ZONE NOT NULL,
    input_per_mtok NUMERIC(12,6) NOT NULL CHECK (input_per_mtok >= 0),
    output_per_mtok NUMERIC(12,6) NOT NULL CHECK (output_per_mtok >= 0),
    cache_read_per_mtok NUMERIC(12,6) NOT NULL CHECK (cache_read_per_mtok >= 0),
    cache_write_per_mtok NUMERIC(12,6) NOT NULL CHECK (cache_write_per_mtok >= 0),
    cache_write_1h_per_mtok NUMERIC(12,6) NOT NULL CHECK (cache_write_1h_per_mtok >= 0),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),

    UNIQUE (model, effective_from)
);

CREATE TABLE claude_usage_daily (
    day DATE NOT NULL,
    user_id UUID NOT NULL,
    project_id UUID NOT NULL,
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

    PRIMARY KEY (day, user_id, project_id, model, interaction_type)
);

CREATE INDEX idx_claude_usage_daily_user ON claude_usage_daily(user_id, day);
CREATE INDEX idx_claude_usage_daily_project ON claude_usage_daily(project_id, day);

-- ---------------------------------------------------------------------------------------------------------
-- updated_at (and the file version bump)
-- ---------------------------------------------------------------------------------------------------------

CREATE FUNCTION update_updated_at_column() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$;

-- A content change always gets a version number above the previous one, whether or not the writer bumped it.
CREATE FUNCTION vf_project_files_before_update() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at = NOW();
    IF NEW.content IS DISTINCT FROM OLD.content
       AND (NEW.version IS NULL OR NEW.version <= COALESCE(OLD.version, 0)) THEN
        NEW.version = COALESCE(OLD.version, 0) + 1;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER update_users_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_projects_updated_at BEFORE UPDATE ON projects
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_project_files_updated_at BEFORE UPDATE ON project_files
    FOR EACH ROW EXECUTE FUNCTION vf_project_files_before_update();
CREATE TRIGGER update_infrastructure_resources_updated_at BEFORE UPDATE ON infrastructure_resources
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_project_integrations_updated_at BEFORE UPDATE ON project_integrations
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_project_templates_updated_at BEFORE UPDATE ON project_templates
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_template_ratings_updated_at BEFORE UPDATE ON template_ratings
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------------------
-- project_files: statement-level triggers with transition tables (stats deltas, activity, versions)
-- Counters move by deltas under the project's row lock, so concurrent writers stay exact.
-- ---------------------------------------------------------------------------------------------------------

CREATE FUNCTION vf_project_files_after_insert() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    v_actor uuid := NULLIF(current_setting('vaporform.actor_id', true), '')::uuid;
    v_source varchar(50) := COALESCE(NULLIF(current_setting('vaporform.source_type', true), ''), 'system');
    v_interaction uuid := NULLIF(current_setting('vaporform.interaction_id', true), '')::uuid;
BEGIN
    UPDATE projects p
       SET total_files = COALESCE(p.total_files, 0) + d.files,
           total_size_bytes = COALESCE(p.total_size_bytes, 0) + d.bytes,
           last_activity_at = NOW()
      FROM (SELECT project_id, count(*) AS files, COALESCE(sum(size_bytes), 0) AS bytes
              FROM new_rows GROUP BY project_id ORDER BY project_id) d
     WHERE p.id = d.project_id;

    INSERT INTO project_activity (project_id, user_id, activity_type, description, metadata,
                                  affected_resources, source_type, source_id)
    SELECT n.project_id, COALESCE(v_actor, n.updated_by, n.created_by), 'file_created',
           'Created file: ' || n.file_path,
           jsonb_build_object('table', 'project_files', 'operation', 'INSERT', 'file_id', n.id,
                              'file_path', n.file_path, 'version', n.version),
           ARRAY[n.file_path], v_source, v_interaction
      FROM new_rows n;

    INSERT INTO project_file_versions (file_id, project_id, file_path, version, content, content_hash,
                                       size_bytes, encoding, is_binary, source_type, interaction_id, created_by)
    SELECT n.id, n.project_id, n.file_path, COALESCE(n.version, 1), n.content, n.content_hash,
           COALESCE(n.size_bytes, 0), COALESCE(n.encoding, 'utf-8'), COALESCE(n.is_binary, false),
           v_source, v_interaction, COALESCE(v_actor, n.updated_by, n.created_by)
      FROM new_rows n;

    RETURN NULL;
END;
$$;

CREATE FUNCTION vf_project_files_after_update() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    v_actor uuid := NULLIF(current_setting('vaporform.actor_id', true), '')::uuid;
    v_source varchar(50) := COALESCE(NULLIF(current_setting('vaporform.source_type', true), ''), 'system');
    v_interaction uuid := NULLIF(current_setting('vaporform.interaction_id', true), '')::uuid;
BEGIN
    UPDATE projects p
       SET total_files = COALESCE(p.total_files, 0) + d.files,
           total_size_bytes = COALESCE(p.total_size_bytes, 0) + d.bytes,
           last_activity_at = NOW()
      FROM (SELECT project_id, sum(files) AS files, sum(bytes) AS bytes
              FROM (SELECT project_id, 1 AS files, COALESCE(size_bytes, 0)::bigint AS bytes FROM new_rows
                    UNION ALL
                    SELECT project_id, -1, -COALESCE(size_bytes, 0)::bigint FROM old_rows) c
             GROUP BY project_id ORDER BY project_id) d
     WHERE p.id = d.project_id;

    INSERT INTO project_activity (project_id, user_id, activity_type, description, metadata,
                                  affected_resources, before_state, after_state, source_type, source_id)
    SELECT n.project_id, COALESCE(v_actor, n.updated_by, n.created_by), 'file_modified',
           'Modified file: ' || n.file_path,
           jsonb_build_object('table', 'project_files', 'operation', 'UPDATE', 'file_id', n.id,
                              'file_path', n.file_path, 'version', n.version,
                              'content_changed', n.content IS DISTINCT FROM o.content)
             || CASE WHEN o.file_path IS DISTINCT FROM n.file_path
                     THEN jsonb_build_object('previous_path', o.file_path) ELSE '{}'::jsonb END,
           CASE WHEN o.file_path IS DISTINCT FROM n.file_path
                THEN ARRAY[o.file_path, n.file_path] ELSE ARRAY[n.file_path] END,
           jsonb_build_object('file_path', o.file_path, 'version', o.version, 'size_bytes', o.size_bytes,
                              'content_hash', o.content_hash),
           jsonb_build_object('file_path', n.file_path, 'version', n.version, 'size_bytes', n.size_bytes,
                              'content_hash', n.content_hash),
           v_source, v_interaction
      FROM new_rows n
      LEFT JOIN old_rows o ON o.id = n.id;

    INSERT INTO project_file_versions (file_id, project_id, file_path, version, content, content_hash,
                                       size_bytes, encoding, is_binary, source_type, interaction_id, created_by)
    SELECT n.id, n.project_id, n.file_path, COALESCE(n.version, 1), n.content, n.content_hash,
           COALESCE(n.size_bytes, 0), COALESCE(n.encoding, 'utf-8'), COALESCE(n.is_binary, false),
           v_source, v_interaction, COALESCE(v_actor, n.updated_by, n.created_by)
      FROM new_rows n
      LEFT JOIN old_rows o ON o.id = n.id
     WHERE o.id IS NULL OR n.content IS DISTINCT FROM o.content;

    RETURN NULL;
END;
$$;

-- Rows of projects being deleted (cascade) no longer join, so a project delete logs nothing and succeeds.
CREATE FUNCTION vf_project_files_after_delete() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    v_actor uuid := NULLIF(current_setting('vaporform.actor_id', true), '')::uuid;
    v_source varchar(50) := COALESCE(NULLIF(current_setting('vaporform.source_type', true), ''), 'system');
    v_interaction uuid := NULLIF(current_setting('vaporform.interaction_id', true), '')::uuid;
BEGIN
    UPDATE projects p
       SET total_files = COALESCE(p.total_files, 0) - d.files,
           total_size_bytes = COALESCE(p.total_size_bytes, 0) - d.bytes,
           last_activity_at = NOW()
      FROM (SELECT project_id, count(*) AS files, COALESCE(sum(size_bytes), 0) AS bytes
              FROM old_rows GROUP BY project_id ORDER BY project_id) d
     WHERE p.id = d.project_id;

    INSERT INTO project_activity (project_id, user_id, activity_type, description, metadata,
                                  affected_resources, before_state, source_type, source_id)
    SELECT o.project_id, COALESCE(v_actor, o.updated_by, o.created_by), 'file_deleted',
           'Deleted file: ' || o.file_path,
           jsonb_build_object('table', 'project_files', 'operation', 'DELETE', 'file_id', o.id,
                              'file_path', o.file_path, 'version', o.version),
           ARRAY[o.file_path],
           jsonb_build_object('file_path', o.file_path, 'version', o.version, 'size_bytes', o.size_bytes,
                              'content_hash', o.content_hash),
           v_source, v_interaction
      FROM old_rows o
     WHERE EXISTS (SELECT 1 FROM projects p WHERE p.id = o.project_id);

    RETURN NULL;
END;
$$;

CREATE TRIGGER project_files_after_insert AFTER INSERT ON project_files
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION vf_project_files_after_insert();
CREATE TRIGGER project_files_after_update AFTER UPDATE ON project_files
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION vf_project_files_after_update();
CREATE TRIGGER project_files_after_delete AFTER DELETE ON project_files
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION vf_project_files_after_delete();

-- ---------------------------------------------------------------------------------------------------------
-- Templates: usage count and exact rating aggregates
-- ---------------------------------------------------------------------------------------------------------

CREATE FUNCTION vf_projects_count_template_use() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE project_templates
       SET usage_count = COALESCE(usage_count, 0) + 1
     WHERE id = NEW.template_id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER projects_count_template_use AFTER INSERT ON projects
    FOR EACH ROW WHEN (NEW.template_id IS NOT NULL)
    EXECUTE FUNCTION vf_projects_count_template_use();

CREATE FUNCTION vf_apply_template_rating(p_template_id uuid, p_sum_delta integer, p_count_delta integer)
RETURNS void
LANGUAGE sql
AS $$
    UPDATE project_templates
       SET rating_sum = rating_sum + p_sum_delta,
           rating_count = COALESCE(rating_count, 0) + p_count_delta,
           rating_average = CASE WHEN COALESCE(rating_count, 0) + p_count_delta > 0
                                 THEN round((rating_sum + p_sum_delta)::numeric
                                            / (COALESCE(rating_count, 0) + p_count_delta), 2)
                                 ELSE 0 END
     WHERE id = p_template_id;
$$;

CREATE FUNCTION vf_template_ratings_aggregate() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM vf_apply_template_rating(NEW.template_id, NEW.rating, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM vf_apply_template_rating(OLD.template_id, -OLD.rating, -1);
    ELSIF NEW.template_id = OLD.template_id THEN
        IF NEW.rating <> OLD.rating THEN
            PERFORM vf_apply_template_rating(NEW.template_id, NEW.rating - OLD.rating, 0);
        END IF;
    ELSE
        -- Lock the two templates in a fixed order so two opposite moves cannot deadlock.
        IF OLD.template_id < NEW.template_id THEN
            PERFORM vf_apply_template_rating(OLD.template_id, -OLD.rating, -1);
            PERFORM vf_apply_template_rating(NEW.template_id, NEW.rating, 1);
        ELSE
            PERFORM vf_apply_template_rating(NEW.template_id, NEW.rating, 1);
            PERFORM vf_apply_template_rating(OLD.template_id, -OLD.rating, -1);
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER template_ratings_aggregate AFTER INSERT OR UPDATE OR DELETE ON template_ratings
    FOR EACH ROW EXECUTE FUNCTION vf_template_ratings_aggregate();

-- ---------------------------------------------------------------------------------------------------------
-- Claude usage: daily rollup kept by row triggers, cost from the dated price table
-- ---------------------------------------------------------------------------------------------------------

-- Adds (p_sign = 1) or subtracts (p_sign = -1) one interaction to/from its rollup row; a row whose count
-- reaches 0 is deleted, so the rollup mirrors claude_interactions exactly.
CREATE FUNCTION vf_claude_usage_apply(r claude_interactions, p_sign integer) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_day date := vf_utc_day(r.created_at);
    v_remaining integer;
BEGIN
    IF p_sign > 0 THEN
        INSERT INTO claude_usage_daily AS u (day, user_id, project_id, model, interaction_type, interactions,
                                             failures, input_tokens, output_tokens, cache_read_tokens,
                                             cache_write_tokens, cache_write_1h_tokens, execution_time_ms)
        VALUES (v_day, r.user_id, r.project_id, r.model, r.interaction_type, 1,
                CASE WHEN r.success IS FALSE THEN 1 ELSE 0 END,
                COALESCE(r.input_tokens, 0), COALESCE(r.output_tokens, 0), r.cache_read_tokens,
                r.cache_write_tokens, r.cache_write_1h_tokens, COALESCE(r.execution_time_ms, 0))
        ON CONFLICT (day, user_id, project_id, model, interaction_type) DO UPDATE
           SET interactions = u.interactions + 1,
               failures = u.failures + EXCLUDED.failures,
               input_tokens = u.input_tokens + EXCLUDED.input_tokens,
               output_tokens = u.output_tokens + EXCLUDED.output_tokens,
               cache_read_tokens = u.cache_read_tokens + EXCLUDED.cache_read_tokens,
               cache_write_tokens = u.cache_write_tokens + EXCLUDED.cache_write_tokens,
               cache_write_1h_tokens = u.cache_write_1h_tokens + EXCLUDED.cache_write_1h_tokens,
               execution_time_ms = u.execution_time_ms + EXCLUDED.execution_time_ms;
    ELSE
        UPDATE claude_usage_daily u
           SET interactions = u.interactions - 1,
               failures = u.failures - CASE WHEN r.success IS FALSE THEN 1 ELSE 0 END,
               input_tokens = u.input_tokens - COALESCE(r.input_tokens, 0),
               output_tokens = u.output_tokens - COALESCE(r.output_tokens, 0),
               cache_read_tokens = u.cache_read_tokens - r.cache_read_tokens,
               cache_write_tokens = u.cache_write_tokens - r.cache_write_tokens,
               cache_write_1h_tokens = u.cache_write_1h_tokens - r.cache_write_1h_tokens,
               execution_time_ms = u.execution_time_ms - COALESCE(r.execution_time_ms, 0)
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

CREATE FUNCTION vf_claude_interactions_rollup() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM vf_claude_usage_apply(NEW, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM vf_claude_usage_apply(OLD, -1);
    ELSE
        PERFORM vf_claude_usage_apply(OLD, -1);
        PERFORM vf_claude_usage_apply(NEW, 1);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER claude_interactions_rollup AFTER INSERT OR DELETE ON claude_interactions
    FOR EACH ROW EXECUTE FUNCTION vf_claude_interactions_rollup();
-- Only columns the rollup reads; other updates (e.g. completed_at, the response text) cost nothing.
CREATE TRIGGER claude_interactions_rollup_update
    AFTER UPDATE OF created_at, user_id, project_id, model, interaction_type, success, input_tokens,
                    output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens,
                    execution_time_ms
    ON claude_interactions
    FOR EACH ROW EXECUTE FUNCTION vf_claude_interactions_rollup();

-- Price of each interaction: its model's row with the latest effective_from <= created_at (NULL if none).
CREATE VIEW claude_interaction_costs AS
SELECT ci.id AS interaction_id,
       (COALESCE(ci.input_tokens, 0) * mp.input_per_mtok
        + COALESCE(ci.output_tokens, 0) * mp.output_per_mtok
        + ci.cache_read_tokens * mp.cache_read_per_mtok
        + ci.cache_write_tokens * mp.cache_write_per_mtok
        + ci.cache_write_1h_tokens * mp.cache_write_1h_per_mtok) / 1000000 AS cost_usd
  FROM claude_interactions ci
  LEFT JOIN LATERAL (
        SELECT p.*
          FROM model_prices p
         WHERE p.model = ci.model AND p.effective_from <= ci.created_at
         ORDER BY p.effective_from DESC
         LIMIT 1) mp ON true;

-- Rollup rows priced with the model's price in effect at the end of their (UTC) day. Dashboards read this,
-- never the raw table.
CREATE VIEW claude_usage_daily_costs AS
SELECT u.*,
       (u.input_tokens * mp.input_per_mtok
        + u.output_tokens * mp.output_per_mtok
        + u.cache_read_tokens * mp.cache_read_per_mtok
        + u.cache_write_tokens * mp.cache_write_per_mtok
        + u.cache_write_1h_tokens * mp.cache_write_1h_per_mtok) / 1000000 AS cost_usd
  FROM claude_usage_daily u
  LEFT JOIN LATERAL (
        SELECT p.*
          FROM model_prices p
         WHERE p.model = u.model
           AND p.effective_from < ((u.day + 1)::timestamp AT TIME ZONE 'UTC')
         ORDER BY p.effective_from DESC
         LIMIT 1) mp ON true;

-- ---------------------------------------------------------------------------------------------------------
-- project_activity partitions
-- ---------------------------------------------------------------------------------------------------------

-- Creates the monthly partition (UTC) holding p_month if missing; returns true when it created one.
CREATE FUNCTION vf_create_activity_partition(p_month date) RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    v_from date := date_trunc('month', p_month)::date;
    v_name text := format('project_activity_%s', to_char(v_from, 'YYYY_MM'));
BEGIN
    IF to_regclass(quote_ident(v_name)) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I PARTITION OF project_activity FOR VALUES FROM (%L) TO (%L)',
                   v_name, v_from::text || ' 00:00:00+00', (v_from + interval '1 month')::date::text || ' 00:00:00+00');
    RETURN true;
END;
$$;

-- Ensures partitions from the current month to months_ahead months ahead, and moves every row found in the
-- default partition into its month's partition (creating it). Returns the number of rows moved.
CREATE FUNCTION vf_ensure_activity_partitions(months_ahead integer DEFAULT 3) RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_month date;
    v_moved integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('vf_ensure_activity_partitions'));

    FOR i IN 0..GREATEST(months_ahead, 0) LOOP
        PERFORM vf_create_activity_partition(
            (date_trunc('month', NOW() AT TIME ZONE 'UTC') + make_interval(months => i))::date);
    END LOOP;

    IF EXISTS (SELECT 1 FROM project_activity_default) THEN
        -- Writers would otherwise add rows to the default partition between the move and the CREATE.
        LOCK TABLE project_activity IN SHARE ROW EXCLUSIVE MODE;
        DROP TABLE IF EXISTS pg_temp.vf_activity_moving;
        CREATE TEMP TABLE vf_activity_moving AS
            WITH moved AS (DELETE FROM project_activity_default RETURNING *) SELECT * FROM moved;
        GET DIAGNOSTICS v_moved = ROW_COUNT;
        FOR v_month IN
            SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC')::date FROM pg_temp.vf_activity_moving
        LOOP
            PERFORM vf_create_activity_partition(v_month);
        END LOOP;
        INSERT INTO project_activity SELECT * FROM pg_temp.vf_activity_moving;
        DROP TABLE pg_temp.vf_activity_moving;
    END IF;

    RETURN v_moved;
END;
$$;

-- Retention: drops the monthly partitions whose month ends on or before cutoff; returns the names dropped.
CREATE FUNCTION vf_drop_activity_partitions_before(cutoff date) RETURNS SETOF text
LANGUAGE plpgsql
AS $$
DECLARE
    v_name text;
BEGIN
    FOR v_name IN
        SELECT c.relname
          FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'project_activity'::regclass
           AND c.relname ~ '^project_activity_[0-9]{4}_[0-9]{2}$'
           AND (to_date(substr(c.relname, 18), 'YYYY_MM') + interval '1 month')::date <= cutoff
         ORDER BY c.relname
    LOOP
        EXECUTE format('DROP TABLE %I', v_name);
        RETURN NEXT v_name;
    END LOOP;
END;
$$;

SELECT vf_ensure_activity_partitions();
