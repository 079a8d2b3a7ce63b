-- Columns that have a DEFAULT and that the app never leaves NULL become NOT NULL, so the code reading them needs no
-- NULL guards. Rows written before (or by hand) with a NULL get the default first.
--
-- SET NOT NULL alone scans the whole table under an ACCESS EXCLUSIVE lock. Instead each column first gets a CHECK
-- constraint added NOT VALID (no scan, a brief lock), validated under a SHARE UPDATE EXCLUSIVE lock (reads and writes
-- go on); PostgreSQL 12+ then sees the valid CHECK proves the column has no NULL and sets NOT NULL without a scan,
-- and the CHECK is dropped. No table is rewritten. The CHECKs are named <table>_<column>_set: PostgreSQL 18 names
-- its own NOT NULL constraints <table>_<column>_not_null.

-- users
UPDATE users SET email_verified = FALSE WHERE email_verified IS NULL;
UPDATE users SET is_active = TRUE WHERE is_active IS NULL;
ALTER TABLE users ADD CONSTRAINT users_email_verified_set CHECK (email_verified IS NOT NULL) NOT VALID;
ALTER TABLE users ADD CONSTRAINT users_is_active_set CHECK (is_active IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_email_verified_set;
ALTER TABLE users VALIDATE CONSTRAINT users_is_active_set;
ALTER TABLE users
    ALTER COLUMN email_verified SET NOT NULL,
    ALTER COLUMN is_active SET NOT NULL;
ALTER TABLE users
    DROP CONSTRAINT users_email_verified_set,
    DROP CONSTRAINT users_is_active_set;

-- projects
UPDATE projects SET total_files = 0 WHERE total_files IS NULL;
UPDATE projects SET total_size_bytes = 0 WHERE total_size_bytes IS NULL;
ALTER TABLE projects ADD CONSTRAINT projects_total_files_set CHECK (total_files IS NOT NULL) NOT VALID;
ALTER TABLE projects ADD CONSTRAINT projects_total_size_bytes_set CHECK (total_size_bytes IS NOT NULL) NOT VALID;
ALTER TABLE projects VALIDATE CONSTRAINT projects_total_files_set;
ALTER TABLE projects VALIDATE CONSTRAINT projects_total_size_bytes_set;
ALTER TABLE projects
    ALTER COLUMN total_files SET NOT NULL,
    ALTER COLUMN total_size_bytes SET NOT NULL;
ALTER TABLE projects
    DROP CONSTRAINT projects_total_files_set,
    DROP CONSTRAINT projects_total_size_bytes_set;

-- project_files
UPDATE project_files SET encoding = 'utf-8' WHERE encoding IS NULL;
UPDATE project_files SET size_bytes = 0 WHERE size_bytes IS NULL;
UPDATE project_files SET line_count = 0 WHERE line_count IS NULL;
UPDATE project_files SET is_binary = FALSE WHERE is_binary IS NULL;
UPDATE project_files SET version = 1 WHERE version IS NULL;
ALTER TABLE project_files ADD CONSTRAINT project_files_encoding_set CHECK (encoding IS NOT NULL) NOT VALID;
ALTER TABLE project_files ADD CONSTRAINT project_files_size_bytes_set CHECK (size_bytes IS NOT NULL) NOT VALID;
ALTER TABLE project_files ADD CONSTRAINT project_files_line_count_set CHECK (line_count IS NOT NULL) NOT VALID;
ALTER TABLE project_files ADD CONSTRAINT project_files_is_binary_set CHECK (is_binary IS NOT NULL) NOT VALID;
ALTER TABLE project_files ADD CONSTRAINT project_files_version_set CHECK (version IS NOT NULL) NOT VALID;
ALTER TABLE project_files VALIDATE CONSTRAINT project_files_encoding_set;
ALTER TABLE project_files VALIDATE CONSTRAINT project_files_size_bytes_set;
ALTER TABLE project_files VALIDATE CONSTRAINT project_files_line_count_set;
ALTER TABLE project_files VALIDATE CONSTRAINT project_files_is_binary_set;
ALTER TABLE project_files VALIDATE CONSTRAINT project_files_version_set;
ALTER TABLE project_files
    ALTER COLUMN encoding SET NOT NULL,
    ALTER COLUMN size_bytes SET NOT NULL,
    ALTER COLUMN line_count SET NOT NULL,
    ALTER COLUMN is_binary SET NOT NULL,
    ALTER COLUMN version SET NOT NULL;
ALTER TABLE project_files
    DROP CONSTRAINT project_files_encoding_set,
    DROP CONSTRAINT project_files_size_bytes_set,
    DROP CONSTRAINT project_files_line_count_set,
    DROP CONSTRAINT project_files_is_binary_set,
    DROP CONSTRAINT project_files_version_set;
