-- +goose Up
-- One row per run of a periodic job (the half-monthly digest of one send
-- time) given to a job of the queue. River keeps a periodic job's next run
-- in the elected leader's memory and its finished jobs for a day; this
-- row is what tells, at any later start, that the run was enqueued or done,
-- so a run missed while no process ran is caught up once and a run done is
-- never sent again.
CREATE TABLE periodic_runs (
    id         bigserial   PRIMARY KEY,
    name       text        NOT NULL,
    run_key    text        NOT NULL,
    job_id     bigint      NOT NULL,
    created_at timestamptz NOT NULL,
    done_at    timestamptz
);
CREATE UNIQUE INDEX periodic_runs_name_run ON periodic_runs (name, run_key);

-- +goose Down
DROP TABLE periodic_runs;
