/**
 * Small helpers around the operating system that several components share: ending a process tree
 * ({@link io.updraft.util.ProcessTree}) and deleting a folder tree ({@link
 * io.updraft.util.Folders}). It depends on no other Updraft package, so any component may use it
 * without reaching another (ArchitectureTest).
 */
package io.updraft.util;
