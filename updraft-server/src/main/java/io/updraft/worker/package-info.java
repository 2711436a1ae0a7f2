/**
 * The execution core of the task supervisor: runs one try of one task instance, with no database.
 *
 * <p>{@link io.updraft.worker.TaskRunner} takes a {@link io.updraft.worker.TryRequest} (the DAG and
 * task, run_id, logical date, data interval, conf, try number, logs root, an {@link
 * io.updraft.worker.XComLookup}, a {@link java.time.Clock} and a {@link
 * io.updraft.worker.Heartbeat}) and returns a {@link io.updraft.worker.TryOutcome}. Storing the
 * outcome, the XCom and heartbeats is the supervisor's job.
 *
 * <p>Decisions where Airflow differs or is silent:
 *
 * <ul>
 *   <li>Shell commands run in a fresh temporary folder per try, deleted afterwards, unless the task
 *       sets {@code cwd} (an existing absolute folder).
 *   <li>A task's {@code env} is added to Updraft's environment (Airflow's BashOperator replaces the
 *       environment unless {@code append_env}); {@code UPDRAFT_CTX_*} variables come last.
 *   <li>The return value is the last non-blank <em>stdout</em> line, right-trimmed (Airflow takes
 *       the last line of stdout and stderr merged). One whose JSON is larger than {@code
 *       core.max_xcom_size} fails the try (docs/decisions/0046); it is never cut.
 *   <li>Output bytes that are not UTF-8 are kept as {@code \xNN}, as Airflow's {@code
 *       backslashreplace}; output goes to the log as bytes through bounded buffers, whatever a task
 *       prints (docs/decisions/0047).
 *   <li>A try lasts until its output pipes close, as Airflow reads output to its end; a timeout
 *       still bounds it.
 *   <li>{@code conn} and {@code var} in templates read the request's lookups ({@code
 *       UPDRAFT_CONN_*}/{@code UPDRAFT_VAR_*}, then the tables) when named; every secret they
 *       reveal is masked as {@code ***} in the try's log.
 *   <li>{@code empty} tasks write no log.
 * </ul>
 */
package io.updraft.worker;
