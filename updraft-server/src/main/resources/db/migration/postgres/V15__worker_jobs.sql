-- Remote workers are jobs too (decisions/0169): the API server registers and heartbeats a
-- `worker` job for each `updraft worker`, with the queues it takes task instances of (comma-
-- separated) and how many tries it runs at once. Null for other jobs.
ALTER TABLE job ADD COLUMN queues VARCHAR(4000);
ALTER TABLE job ADD COLUMN concurrency INTEGER;
