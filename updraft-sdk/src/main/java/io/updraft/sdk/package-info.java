/**
 * The public authoring API: build DAGs in Java ({@code Dags}), provide them from a dags folder
 * ({@code DagSource}), write custom operators ({@code Operator}). Depends on nothing but the JDK.
 */
package io.updraft.sdk;
