-- Code search scoped to the caller's projects inside the index scans, and a stored full-text vector
-- (docs/schema.md, fix 6). Applied inside one transaction by our migrator.
--
-- Both content indexes lead with project_id (btree_gin gives uuid a GIN operator class), so searching one
-- project reads only that project's entries instead of every user's files. The trigram index also holds the
-- path's trigrams, so a path filter (`src/components/**`, `*.test.ts`) narrows the candidates inside the index
-- scan, and is rechecked before the (much dearer) content pattern. The full-text vector is stored, so ranking
-- reads it instead of parsing each candidate file again (~0.3 ms for 3 KB).

CREATE EXTENSION IF NOT EXISTS btree_gin;

-- GIN builds are much faster with room to sort; this transaction only.
SET LOCAL maintenance_work_mem = '256MB';

-- Dropped before the column is added: adding a stored column rewrites the table and rebuilds every index on it.
DROP INDEX idx_project_files_content_search;
DROP INDEX idx_project_files_content_trgm;

-- NULL for a binary file (and when is_binary is NULL: the partial indexes leave those rows out too).
ALTER TABLE project_files ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (CASE WHEN NOT is_binary THEN vf_search_vector(content) END) STORED;

CREATE INDEX idx_project_files_content_search ON project_files
    USING gin (project_id, search_vector) WHERE NOT is_binary;
CREATE INDEX idx_project_files_content_trgm ON project_files
    USING gin (project_id, file_path gin_trgm_ops, content gin_trgm_ops) WHERE NOT is_binary;
