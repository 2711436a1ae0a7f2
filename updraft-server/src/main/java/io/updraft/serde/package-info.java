/**
 * The canonical JSON form of a DAG ({@link io.updraft.serde.DagSerializer}): what the DAG processor
 * stores in {@code serialized_dag}, what the scheduler and workers read instead of DAG files, and
 * whose SHA-256 tells whether a DAG changed.
 */
package io.updraft.serde;
