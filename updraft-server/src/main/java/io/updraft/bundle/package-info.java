/**
 * User code in Java (SPEC §1.6): the Java DAG files and jars of the dags folder, and the custom
 * operators they define. User code is compiled, loaded and run only in child JVMs started with
 * {@link io.updraft.bundle.JavaCommand} — one per parse of such a file (by the DAG processor), and
 * warm ones kept per bundle that run a custom operator's tries one at a time ({@code
 * OperatorServer}; {@code OperatorMain} for a JVM per try) — each in a class loader that sees the
 * bundle and the SDK alone. Neither the scheduler nor the DAG processor's own JVM ever loads it:
 * the child's entry points are named on its command line, never referenced.
 *
 * <p>A bundle is a jar: a jar from the dags folder as it is, or the classes compiled from one
 * {@code *.java} file, written the same way every time so equal sources give equal hashes.
 */
package io.updraft.bundle;
