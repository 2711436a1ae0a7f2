package io.updraft.worker.template;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A value in the template context with named attributes and methods, such as {@code ti}, {@code
 * dag_run}, {@code macros} or a date. Templates reach it through {@link UpdraftPebbleExtension}'s
 * resolver, never through Java reflection, so a template can only see what is listed here.
 *
 * @param typeName the name used in error messages ({@code ti}, {@code dag_run}, ...)
 * @param attributes values read as {@code obj.name}; values may be null
 * @param methods functions called as {@code obj.name(...)}
 * @param display what {@code {{ obj }}} prints
 */
public record TemplateObject(
    String typeName,
    Map<String, Object> attributes,
    Map<String, TemplateFunction> methods,
    String display) {

  public TemplateObject {
    Objects.requireNonNull(typeName, "typeName");
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    methods = Map.copyOf(methods);
  }

  @Override
  public String toString() {
    return display;
  }
}
