/**
 * Sensors (SPEC §1.9): what a sensor waits for and how one check of it is made, shared by the three
 * modes — the triggerer ({@code defer}), a short try per check ({@code reschedule}) and a try that
 * checks in a loop ({@code poke}).
 *
 * <p>{@link io.updraft.sensors.SensorSpec} is a sensor's rendered arguments; {@link
 * io.updraft.sensors.Condition} one thing to wait for; a {@link
 * io.updraft.sensors.ConditionChecker} checks one condition once and says {@link
 * io.updraft.sensors.CheckResult whether it holds}. The model here is pure data; the checkers reach
 * files, databases, HTTP servers and processes.
 */
package io.updraft.sensors;
