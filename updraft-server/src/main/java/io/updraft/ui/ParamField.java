package io.updraft.ui;

/**
 * A field of the trigger form for one of the DAG's {@code params}, typed after its default.
 *
 * @param kind {@code text}, {@code number}, {@code checkbox} or {@code json} (lists, maps, null)
 * @param value what the field holds (its default, or what was sent back)
 * @param error "" or why the value sent was refused
 */
public record ParamField(String name, String kind, String value, boolean checked, String error) {
  /** The form field's name: {@code param.<name>}. */
  public String field() {
    return "param." + name;
  }
}
