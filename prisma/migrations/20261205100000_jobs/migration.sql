-- Background jobs (issue 11). The queue itself is pg-boss's, in its own schema `pgboss`, which pg-boss creates and
-- migrates (src/server/services/jobs/queue.ts, run by `npm run db:migrate` and on start). This table is the app's
-- record of each run, read by the admin page: pg-boss archives and then deletes finished jobs, and a run's result
-- (what a reconciliation repaired) must outlive that. Kept 90 days by the maintenance job.
CREATE TABLE job_runs (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    job_name VARCHAR(100) NOT NULL,
    -- The pg-boss job this run executed (one queue job may run twice when it is retried).
    queue_job_id UUID,
    triggered_by VARCHAR(20) NOT NULL CHECK (triggered_by IN ('schedule', 'manual')),
    requested_by UUID REFERENCES users(id) ON DELETE SET NULL,
    -- host:pid of the app instance that ran it.
    instance VARCHAR(200) NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
    started_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    finished_at TIMESTAMP WITH TIME ZONE,
    duration_ms INTEGER CHECK (duration_ms >= 0),
    result JSONB,
    error TEXT,
    CHECK ((status = 'running') = (finished_at IS NULL)),
    CHECK ((status = 'failed') = (error IS NOT NULL))
);
CREATE INDEX idx_job_runs_job_started ON job_runs(job_name, started_at DESC);
CREATE INDEX idx_job_runs_started ON job_runs(started_at);
