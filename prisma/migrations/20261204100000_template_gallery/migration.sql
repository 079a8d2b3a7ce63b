-- Template gallery (issue 10): versions with their files, the version a project came from, ranked full-text
-- search, a rating histogram and helpful votes kept by trigger, hidden reviews, and paging indexes.

-- ---------------------------------------------------------------------------------------------------------
-- Versions: every published version keeps its files, so a project knows exactly what it was made from and an
-- upgrade can merge base (its version) -> theirs (a newer one) into ours (its files now).
-- ---------------------------------------------------------------------------------------------------------

CREATE TABLE project_template_versions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    template_id UUID NOT NULL REFERENCES project_templates(id) ON DELETE CASCADE,
    -- MAJOR.MINOR.PATCH, no pre-release; version_key orders them numerically (1.10.0 after 1.9.0).
    version VARCHAR(20) NOT NULL
        CHECK (version ~ '^(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})$'),
    version_key INTEGER[] GENERATED ALWAYS AS (string_to_array(version, '.')::integer[]) STORED,
    changelog TEXT NOT NULL CHECK (char_length(changelog) BETWEEN 1 AND 5000),
    -- Same shape as project_templates.file_structure: {"files": [{"path", "content", "encoding"?}]}.
    file_structure JSONB NOT NULL,
    tech_stack JSONB NOT NULL DEFAULT '{}',
    file_count INTEGER NOT NULL CHECK (file_count >= 0),
    total_size_bytes BIGINT NOT NULL CHECK (total_size_bytes >= 0),
    created_by UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),

    UNIQUE (template_id, version)
);

CREATE INDEX idx_project_template_versions_order ON project_template_versions(template_id, version_key DESC);

-- Every existing template gets its current version as a version row (an unparsable version becomes 1.0.0).
INSERT INTO project_template_versions (template_id, version, changelog, file_structure, tech_stack, file_count,
                                       total_size_bytes, created_by, created_at)
SELECT t.id,
       CASE WHEN t.version ~ '^(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})$' THEN t.version ELSE '1.0.0' END,
       COALESCE(NULLIF(left(t.changelog, 5000), ''), 'First release.'),
       t.file_structure,
       t.tech_stack,
       COALESCE(jsonb_array_length(t.file_structure -> 'files'), 0),
       COALESCE((SELECT sum(octet_length(f ->> 'content')) FROM jsonb_array_elements(t.file_structure -> 'files') f), 0),
       t.created_by,
       COALESCE(t.published_at, t.created_at, NOW())
  FROM project_templates t;

UPDATE project_templates
   SET version = '1.0.0'
 WHERE version IS NULL OR version !~ '^(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})$';

-- The version a project was made from (or last upgraded to). A deleted template takes its versions with it;
-- the project keeps its files and forgets where they came from.
ALTER TABLE projects ADD COLUMN template_version_id UUID
    REFERENCES project_template_versions(id) ON DELETE SET NULL;
CREATE INDEX idx_projects_template_version_id ON projects(template_version_id) WHERE template_version_id IS NOT NULL;

UPDATE projects p
   SET template_version_id = v.id
  FROM project_templates t
  JOIN project_template_versions v ON v.template_id = t.id AND v.version = t.version
 WHERE p.template_id = t.id;

-- The project a template was published from, so "publish a new version" from it finds its template.
ALTER TABLE project_templates ADD COLUMN source_project_id UUID REFERENCES projects(id) ON DELETE SET NULL;
CREATE INDEX idx_project_templates_source_project ON project_templates(source_project_id)
    WHERE source_project_id IS NOT NULL;

-- ---------------------------------------------------------------------------------------------------------
-- Gallery: ranked full-text search over name (A), tags (B) and description (C), and paging indexes.
-- ---------------------------------------------------------------------------------------------------------

-- array_to_string is only STABLE (it calls the element type's output function); for text[] it is immutable.
CREATE FUNCTION vf_template_document(p_name text, p_tags text[], p_description text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT setweight(to_tsvector('english'::regconfig, left(COALESCE(p_name, ''), 1000)), 'A')
      || setweight(to_tsvector('english'::regconfig, left(COALESCE(array_to_string(p_tags, ' '), ''), 2000)), 'B')
      || setweight(to_tsvector('english'::regconfig, left(COALESCE(p_description, ''), 10000)), 'C')
$$;

ALTER TABLE project_templates ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (vf_template_document(name, tags, description)) STORED;
CREATE INDEX idx_project_templates_search ON project_templates USING gin (search_vector);

CREATE INDEX idx_project_templates_public_usage ON project_templates(usage_count DESC NULLS LAST, id) WHERE is_public;
-- The prior mean C of "top rated" (sum of rating_sum / sum of rating_count over public templates), read from this
-- index alone instead of the table.
CREATE INDEX idx_project_templates_public_ratings ON project_templates(rating_sum, rating_count) WHERE is_public;
CREATE INDEX idx_project_templates_public_newest ON project_templates(published_at DESC NULLS LAST, id)
    WHERE is_public;

-- Counters are not edits: a use or a rating must not move updated_at (the page shows "updated" from it).
DROP TRIGGER update_project_templates_updated_at ON project_templates;
CREATE TRIGGER update_project_templates_updated_at
    BEFORE UPDATE OF name, description, category, tags, tech_stack, default_integrations, file_structure,
                     is_public, is_featured, is_official, version, changelog
    ON project_templates
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------------------
-- Ratings: a histogram beside the sum and count, kept by the same trigger, constant time per rating.
-- ---------------------------------------------------------------------------------------------------------

ALTER TABLE project_templates ADD COLUMN rating_histogram INTEGER[] NOT NULL DEFAULT '{0,0,0,0,0}'
    CHECK (array_length(rating_histogram, 1) = 5 AND 0 <= ALL (rating_histogram));

UPDATE project_templates t
   SET rating_histogram = ARRAY(SELECT count(r.id)::integer
                                  FROM generate_series(1, 5) s(star)
                                  LEFT JOIN template_ratings r ON r.template_id = t.id AND r.rating = s.star
                                 GROUP BY s.star ORDER BY s.star);

-- Moves one rating out of star p_old (NULL: none) and into star p_new (NULL: none).
CREATE FUNCTION vf_template_rating_move(p_template_id uuid, p_old smallint, p_new smallint) RETURNS void
LANGUAGE sql
AS $$
    UPDATE project_templates
       SET rating_sum = rating_sum + COALESCE(p_new, 0) - COALESCE(p_old, 0),
           rating_count = COALESCE(rating_count, 0) + (p_new IS NOT NULL)::int - (p_old IS NOT NULL)::int,
           rating_average = CASE WHEN COALESCE(rating_count, 0) + (p_new IS NOT NULL)::int - (p_old IS NOT NULL)::int > 0
                                 THEN round((rating_sum + COALESCE(p_new, 0) - COALESCE(p_old, 0))::numeric
                                            / (COALESCE(rating_count, 0) + (p_new IS NOT NULL)::int
                                               - (p_old IS NOT NULL)::int), 2)
                                 ELSE 0 END,
           rating_histogram = ARRAY(SELECT rating_histogram[s] + (s IS NOT DISTINCT FROM p_new)::int - (s IS NOT DISTINCT FROM p_old)::int
                                      FROM generate_series(1, 5) s ORDER BY s)
     WHERE id = p_template_id;
$$;

CREATE OR REPLACE FUNCTION vf_template_ratings_aggregate() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM vf_template_rating_move(NEW.template_id, NULL, NEW.rating);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM vf_template_rating_move(OLD.template_id, OLD.rating, NULL);
    ELSIF NEW.template_id = OLD.template_id THEN
        IF NEW.rating <> OLD.rating THEN
            PERFORM vf_template_rating_move(NEW.template_id, OLD.rating, NEW.rating);
        END IF;
    ELSE
        -- Lock the two templates in a fixed order so two opposite moves cannot deadlock.
        IF OLD.template_id < NEW.template_id THEN
            PERFORM vf_template_rating_move(OLD.template_id, OLD.rating, NULL);
            PERFORM vf_template_rating_move(NEW.template_id, NULL, NEW.rating);
        ELSE
            PERFORM vf_template_rating_move(NEW.template_id, NULL, NEW.rating);
            PERFORM vf_template_rating_move(OLD.template_id, OLD.rating, NULL);
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

DROP FUNCTION vf_apply_template_rating(uuid, integer, integer);

DROP TRIGGER template_ratings_aggregate ON template_ratings;
CREATE TRIGGER template_ratings_aggregate AFTER INSERT OR DELETE OR UPDATE OF rating, template_id ON template_ratings
    FOR EACH ROW EXECUTE FUNCTION vf_template_ratings_aggregate();

-- Reviews: at most 2,000 characters; an admin may hide one (its stars still count, its text is not shown).
ALTER TABLE template_ratings DROP CONSTRAINT template_ratings_review_check;
ALTER TABLE template_ratings ADD CONSTRAINT template_ratings_review_check CHECK (char_length(review) <= 2000);
ALTER TABLE template_ratings ADD COLUMN hidden_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE template_ratings ADD COLUMN hidden_by UUID REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE template_ratings ADD COLUMN helpful_count INTEGER NOT NULL DEFAULT 0 CHECK (helpful_count >= 0);

-- An admin's hiding outlives the rating: a writer who deletes a hidden review and writes it again finds it hidden
-- again (cleared only by an admin's "unhide").
CREATE TABLE template_review_holds (
    template_id UUID NOT NULL REFERENCES project_templates(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hidden_by UUID REFERENCES users(id) ON DELETE SET NULL,
    hidden_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),

    PRIMARY KEY (template_id, user_id)
);

-- A helpful vote is not an edit of the review.
DROP TRIGGER update_template_ratings_updated_at ON template_ratings;
CREATE TRIGGER update_template_ratings_updated_at BEFORE UPDATE OF rating, review ON template_ratings
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE INDEX idx_template_ratings_reviews_newest ON template_ratings(template_id, created_at DESC, id)
    WHERE review IS NOT NULL;
CREATE INDEX idx_template_ratings_reviews_helpful ON template_ratings(template_id, helpful_count DESC, created_at DESC, id)
    WHERE review IS NOT NULL;

-- One "helpful" vote per user per review, counted on the review by trigger.
CREATE TABLE template_review_votes (
    rating_id UUID NOT NULL REFERENCES template_ratings(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),

    PRIMARY KEY (rating_id, user_id)
);

CREATE INDEX idx_template_review_votes_user ON template_review_votes(user_id);

CREATE FUNCTION vf_template_review_votes_count() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE template_ratings SET helpful_count = helpful_count + 1 WHERE id = NEW.rating_id;
    ELSE
        UPDATE template_ratings SET helpful_count = helpful_count - 1 WHERE id = OLD.rating_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER template_review_votes_count AFTER INSERT OR DELETE ON template_review_votes
    FOR EACH ROW EXECUTE FUNCTION vf_template_review_votes_count();
