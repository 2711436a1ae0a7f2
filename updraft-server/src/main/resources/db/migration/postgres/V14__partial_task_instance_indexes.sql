-- Every change of a task instance's state writes a new row version, and PostgreSQL adds an entry
-- for it to each index on the table (an index on state is never a HOT update). Four indexes serve
-- only rows in one or two states: as partial indexes they take entries only from those rows, so a
-- try's four state writes add 19 index entries instead of 32 (decisions/0163). Every query that
-- used them names those states, so the planner still picks them.
DROP INDEX idx_task_instance_queueing;
CREATE INDEX idx_task_instance_queueing
    ON task_instance (priority_weight DESC, run_date, id) WHERE state = 'scheduled';

DROP INDEX idx_task_instance_state_queue;
CREATE INDEX idx_task_instance_state_queue
    ON task_instance (queue, priority_weight DESC, queued_dttm, id) WHERE state = 'queued';

DROP INDEX idx_task_instance_queued_by_job;
CREATE INDEX idx_task_instance_queued_by_job
    ON task_instance (queued_by_job_id) WHERE state IN ('queued', 'running');

DROP INDEX idx_task_instance_trigger;
CREATE INDEX idx_task_instance_trigger
    ON task_instance (trigger_id) WHERE state = 'deferred';
