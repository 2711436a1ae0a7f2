/**
 * Chaos, as the trusted systems test it (issue 14): the DAG whose tasks trace their own tries
 * ({@link io.updraft.chaos.TryTraces}) and the judge of a run ({@link
 * io.updraft.chaos.ChaosVerdict}), shared by the suite's {@code ChaosTest} and the bench's {@code
 * chaos} scenario. Nothing here runs in a scheduler, worker or API server.
 */
package io.updraft.chaos;
