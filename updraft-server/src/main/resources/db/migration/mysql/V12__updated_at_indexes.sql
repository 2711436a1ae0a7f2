-- The web UI's live feed asks, every half second while a browser watches, which task instances
-- and runs changed since the last answer (updated_at >= a watermark): these indexes keep that a
-- range read of the few recent rows rather than a scan of both tables (decisions/0115).
CREATE INDEX idx_task_instance_updated_at ON task_instance (updated_at);
CREATE INDEX idx_dag_run_updated_at ON dag_run (updated_at);
