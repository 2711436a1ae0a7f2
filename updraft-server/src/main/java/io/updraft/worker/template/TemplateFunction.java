package io.updraft.worker.template;

import java.util.List;
import java.util.Map;

/** A method callable from a template, e.g. {@code ti.xcom_pull(task_ids='a')}. */
@FunctionalInterface
public interface TemplateFunction {

  /**
   * Calls the method.
   *
   * @param args positional arguments, as Pebble evaluated them
   * @param kwargs named arguments ({@code key='x'}), in the order written
   * @throws IllegalArgumentException with a one-line message when the arguments are wrong
   */
  Object call(List<Object> args, Map<String, Object> kwargs);
}
