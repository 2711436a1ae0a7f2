/**
 * Callbacks, notifications and deadline alerts (SPEC §1.8). {@link
 * io.updraft.callbacks.CallbackRequests} decides, purely, which state change writes which callback
 * rows; the writers (executor, scheduler) add them in the transaction of the change. {@link
 * io.updraft.callbacks.CallbackRunner} claims due rows off the scheduler loop, renders each
 * notifier's templates ({@link io.updraft.callbacks.CallbackContexts}), sends it ({@link
 * io.updraft.callbacks.Notifiers}: shell, http, email) with its own log file, retries a failure
 * with backoff and records the outcome; {@link io.updraft.callbacks.DeadlineAlerts} turns due
 * deadlines into callback rows. A callback never changes a task's or run's state.
 */
package io.updraft.callbacks;
