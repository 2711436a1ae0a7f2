package io.updraft.worker.template;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.AttributeNotFoundException;
import io.pebbletemplates.pebble.error.ClassAccessException;
import io.pebbletemplates.pebble.error.ParserException;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.error.RootAttributeNotFoundException;
import io.pebbletemplates.pebble.extension.Extension;
import io.pebbletemplates.pebble.extension.ExtensionCustomizer;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.loader.StringLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a task's operator arguments and {@code env} for one try with Pebble (Jinja syntax).
 *
 * <p>Every string value is a template, recursively inside lists and maps; map keys and non-strings
 * are kept as they are. As in Airflow 2 (whose default is Jinja's {@code StrictUndefined}) an
 * unknown variable is an error, here naming the task, the key and the variable. As with Jinja's
 * defaults, a newline after a block tag is kept and one trailing newline of the template is
 * dropped. Values print, compute and filter as in Jinja ({@link UpdraftPebbleExtension}, decision
 * 0075); Pebble's syntax stays where it differs ({@code elseif}, {@code contains}).
 *
 * <p>Templates cannot reach files or classes: templates are strings (a {@link StringLoader}, so
 * {@code include} only ever sees its own argument as text), the {@code i18n} function (which reads
 * resource bundles) is removed, Java methods can only be called on strings (e.g. {@code
 * ds.replace('-', '')}), and context objects expose only the attributes they list. HTML escaping is
 * off: commands are not HTML. One renderer is thread-safe and can be shared.
 */
public final class TemplateRenderer {

  private final PebbleEngine engine =
      new PebbleEngine.Builder()
          .loader(new StringLoader())
          .strictVariables(true)
          .autoEscaping(false)
          // Jinja's (Python's) arithmetic and filter semantics replace Pebble's core operators.
          .allowOverrideCoreOperators(true)
          .newLineTrimming(false)
          // Parsing is microseconds next to a process start; an unbounded cache keyed by
          // template text would only grow as DAGs change.
          .cacheActive(false)
          .methodAccessValidator((object, method) -> method.getDeclaringClass() == String.class)
          .registerExtensionCustomizer(WithoutI18n::new)
          .extension(new UpdraftPebbleExtension())
          .build();

  /**
   * Renders every string in {@code args} for task {@code taskId}.
   *
   * @throws TemplateRenderException naming the task, the key path and what went wrong
   */
  public Map<String, Object> renderArgs(
      String taskId, Map<String, Object> args, Map<String, Object> context) {
    Map<String, Object> out = new LinkedHashMap<>();
    args.forEach((k, v) -> out.put(k, renderValue(taskId, k, v, context)));
    return out;
  }

  /** Renders the values of a task's {@code env}; their keys are {@code env.NAME}. */
  public Map<String, String> renderEnv(
      String taskId, Map<String, String> env, Map<String, Object> context) {
    Map<String, String> out = new LinkedHashMap<>();
    env.forEach((k, v) -> out.put(k, v == null ? null : render(taskId, "env." + k, v, context)));
    return out;
  }

  private Object renderValue(String taskId, String path, Object value, Map<String, Object> ctx) {
    if (value instanceof String s) {
      return render(taskId, path, s, ctx);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(renderValue(taskId, path + "[" + i + "]", list.get(i), ctx));
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, renderValue(taskId, path + "." + k, v, ctx)));
      return out;
    }
    return value;
  }

  /**
   * Whether {@code value} (a string, or lists and maps of them) holds a string that {@link #render}
   * would parse: one with a {@code '{'}. Without one, rendering needs no context.
   */
  public static boolean holdsTemplate(Object value) {
    return switch (value) {
      case String s -> s.indexOf('{') >= 0;
      case List<?> list -> list.stream().anyMatch(TemplateRenderer::holdsTemplate);
      case Map<?, ?> map -> map.values().stream().anyMatch(TemplateRenderer::holdsTemplate);
      case null, default -> false;
    };
  }

  /**
   * Renders one template string.
   *
   * @param key the argument's path, for the error message
   * @throws TemplateRenderException when the template is malformed or fails
   */
  public String render(String taskId, String key, String source, Map<String, Object> context) {
    String template = dropOneTrailingNewline(source);
    if (template.indexOf('{') < 0) {
      return template; // nothing to render; skips the parser for plain values
    }
    StringWriter out = new StringWriter();
    try {
      engine
          .getTemplate(MethodCallRewriter.rewrite(template, receivers(context)))
          .evaluate(out, context);
    } catch (PebbleException e) {
      throw new TemplateRenderException(
          oneLine("cannot render " + key + " of task '" + taskId + "': " + describe(e, context)),
          key,
          e);
    } catch (IOException | RuntimeException e) {
      throw new TemplateRenderException(
          oneLine("cannot render " + key + " of task '" + taskId + "': " + e), key, e);
    }
    return out.toString();
  }

  /** The context names whose methods templates may call with named arguments. */
  private static Set<String> receivers(Map<String, Object> context) {
    Set<String> names = new HashSet<>();
    context.forEach(
        (k, v) -> {
          if ((v instanceof TemplateObject o && !o.methods().isEmpty())
              || v instanceof PyDateTime) {
            names.add(k);
          }
        });
    return names;
  }

  private static String describe(PebbleException e, Map<String, Object> context) {
    String line = e.getLineNumber() == null ? "" : " (template line " + e.getLineNumber() + ")";
    if (e instanceof RootAttributeNotFoundException r
        && r.getPebbleMessage().startsWith("Root attribute [")
        && context.containsKey(r.getAttributeName())) {
      // Pebble says the same of a name that is None, as prev_start_date_success before any success.
      return "'"
          + r.getAttributeName()
          + "' is None here, so it has no attributes"
          + line
          + " — guard it: {% if "
          + r.getAttributeName()
          + " %}...{% endif %}";
    }
    if (e instanceof RootAttributeNotFoundException r
        && r.getPebbleMessage().startsWith("Root attribute [")) {
      return "unknown variable '"
          + r.getAttributeName()
          + "'"
          + line
          + " — use a context name (ds, ts, params, conf, ti, ...) or define it";
    }
    if (e instanceof AttributeNotFoundException a
        && a.getPebbleMessage().startsWith("Attribute [")) {
      return "no attribute or key '" + a.getAttributeName() + "'" + line;
    }
    if (e instanceof ClassAccessException) {
      return "calling that method is not allowed in templates" + line;
    }
    if (e instanceof ParserException) {
      return "syntax error: " + e.getPebbleMessage() + line;
    }
    String detail = e.getPebbleMessage();
    if (e.getCause() != null
        && e.getCause().getMessage() != null
        && !(e.getCause() instanceof IllegalArgumentException)) {
      detail += ": " + e.getCause().getMessage();
    }
    return detail + line;
  }

  private static String dropOneTrailingNewline(String s) {
    if (s.endsWith("\r\n")) {
      return s.substring(0, s.length() - 2);
    }
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  private static String oneLine(String s) {
    return s.replace("\r", " ").replace("\n", " ");
  }

  /** Pebble's extensions minus {@code i18n}, which reads resource bundles from the classpath. */
  private static final class WithoutI18n extends ExtensionCustomizer {
    WithoutI18n(Extension delegate) {
      super(delegate);
    }

    @Override
    public Map<String, Function> getFunctions() {
      Map<String, Function> functions = super.getFunctions();
      if (functions == null || !functions.containsKey("i18n")) {
        return functions;
      }
      Map<String, Function> copy = new LinkedHashMap<>(functions);
      copy.remove("i18n");
      return copy;
    }
  }
}
