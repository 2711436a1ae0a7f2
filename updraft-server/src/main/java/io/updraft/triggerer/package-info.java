/**
 * The triggerer (SPEC §1.9, DESIGN.md): waits without a slot. It claims {@code deferred_trigger}
 * rows ({@link io.updraft.triggerer.TriggerSlots}), turns each into a {@link
 * io.updraft.triggerer.SensorWait} ({@link io.updraft.triggerer.WaitLoader}), checks the waits that
 * are due on virtual threads — every {@code external_task} condition of a round answered by one
 * batched query ({@link io.updraft.triggerer.PrefetchedStates}) — and ends their task instances
 * itself ({@link io.updraft.triggerer.WaitEndings}), waking the scheduler. {@link
 * io.updraft.triggerer.Triggerer} is the loop.
 */
package io.updraft.triggerer;
