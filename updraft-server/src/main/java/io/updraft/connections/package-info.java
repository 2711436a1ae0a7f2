/**
 * Connections and variables (SPEC §1.7): the model, Airflow's URI form, the lookups the worker's
 * operators and templates use, encryption at rest and the masking of secrets.
 */
package io.updraft.connections;
