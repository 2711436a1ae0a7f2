package io.updraft.worker.template;

import io.pebbletemplates.pebble.attributes.AttributeResolver;
import io.pebbletemplates.pebble.attributes.ResolvedAttribute;
import io.pebbletemplates.pebble.error.AttributeNotFoundException;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.AbstractNodeVisitor;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.extension.NodeVisitor;
import io.pebbletemplates.pebble.extension.NodeVisitorFactory;
import io.pebbletemplates.pebble.node.ArgumentsNode;
import io.pebbletemplates.pebble.node.PrintNode;
import io.pebbletemplates.pebble.node.expression.Expression;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lets templates use {@link TemplateObject}s: {@code ti.task_id} reads an attribute through the
 * attribute resolver; {@code ti.xcom_pull(task_ids='a', key='k')}, which {@link MethodCallRewriter}
 * turned into {@code updraft_call(ti, 'xcom_pull', task_ids='a', key='k')}, calls a method with
 * Python-style named arguments. Method calls with positional arguments only that were not rewritten
 * (e.g. {@code dag_run.logical_date.strftime('%Y')}) reach the resolver.
 *
 * <p>A map or list printed by {@code {{ ... }}} is written as JSON ({@link TemplateJson}), as the
 * {@code tojson} filter writes it too, never as Java's {@code toString}.
 */
final class UpdraftPebbleExtension extends AbstractExtension {

  @Override
  public List<NodeVisitorFactory> getNodeVisitors() {
    return List.of(template -> new JsonPrinting((PebbleTemplateImpl) template));
  }

  @Override
  public Map<String, Filter> getFilters() {
    return Map.of("tojson", new ToJsonFilter());
  }

  @Override
  public List<AttributeResolver> getAttributeResolver() {
    return List.of(UpdraftPebbleExtension::resolve);
  }

  @Override
  public Map<String, Function> getFunctions() {
    return Map.of(MethodCallRewriter.FUNCTION, new CallFunction());
  }

  private static ResolvedAttribute resolve(
      Object instance,
      Object attributeName,
      Object[] argumentValues,
      ArgumentsNode args,
      EvaluationContextImpl context,
      String filename,
      int lineNumber) {
    if (instance instanceof NamedLookup lookup) {
      return new ResolvedAttribute(
          lookup.resolve(
              String.valueOf(attributeName),
              args == null ? null : argumentValues == null ? new Object[0] : argumentValues,
              lineNumber,
              filename));
    }
    if (!(instance instanceof TemplateObject object)) {
      return null; // Pebble's own resolvers handle maps, lists and strings
    }
    String name = String.valueOf(attributeName);
    if (args == null) {
      if (object.attributes().containsKey(name)) {
        return new ResolvedAttribute(object.attributes().get(name));
      }
      String hint =
          object.methods().containsKey(name)
              ? " — it is a method: call it, e.g. " + object.typeName() + "." + name + "(...)"
              : "";
      throw new AttributeNotFoundException(
          null,
          "'" + object.typeName() + "' has no attribute '" + name + "'" + hint,
          name,
          lineNumber,
          filename);
    }
    List<Object> positional =
        argumentValues == null ? List.of() : new ArrayList<>(Arrays.asList(argumentValues));
    return new ResolvedAttribute(call(object, name, positional, Map.of(), lineNumber, filename));
  }

  static Object call(
      TemplateObject object,
      String name,
      List<Object> positional,
      Map<String, Object> named,
      int lineNumber,
      String filename) {
    TemplateFunction method = object.methods().get(name);
    if (method == null) {
      throw new AttributeNotFoundException(
          null,
          "'" + object.typeName() + "' has no method '" + name + "'",
          name,
          lineNumber,
          filename);
    }
    try {
      return method.call(positional, named);
    } catch (IllegalArgumentException e) {
      throw new PebbleException(
          e, object.typeName() + "." + name + "(): " + e.getMessage(), lineNumber, filename);
    }
  }

  /**
   * {@code updraft_call(obj, 'method', positional..., name=value...)}. Declares no argument names,
   * so Pebble passes positional arguments under "0", "1", ... and named ones under their names.
   */
  private static final class CallFunction implements Function {
    @Override
    public List<String> getArgumentNames() {
      return null;
    }

    @Override
    public Object execute(
        Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int lineNumber) {
      Object target = args.get("0");
      String name = String.valueOf(args.get("1"));
      if (!(target instanceof TemplateObject object)) {
        throw new PebbleException(
            null, "cannot call " + name + "() on " + target, lineNumber, self.getName());
      }
      List<Object> positional = new ArrayList<>();
      Map<String, Object> named = new LinkedHashMap<>();
      for (int i = 2; args.containsKey(String.valueOf(i)); i++) {
        positional.add(args.get(String.valueOf(i)));
      }
      args.forEach(
          (k, v) -> {
            if (!k.chars().allMatch(Character::isDigit)) {
              named.put(k, v);
            }
          });
      return call(object, name, positional, named, lineNumber, self.getName());
    }
  }

  /** Wraps the expression of every {@code {{ ... }}} so a map or list prints as JSON. */
  private static final class JsonPrinting extends AbstractNodeVisitor {
    JsonPrinting(PebbleTemplateImpl template) {
      super(template);
    }

    @Override
    public void visit(PrintNode node) {
      if (!(node.getExpression() instanceof AsJson)) {
        node.setExpression(new AsJson(node.getExpression()));
      }
    }
  }

  /** An expression whose map or list value becomes its JSON text; other values pass through. */
  private record AsJson(Expression<?> inner) implements Expression<Object> {
    @Override
    public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl context) {
      Object value = inner.evaluate(self, context);
      return TemplateJson.isStructured(value) ? TemplateJson.text(value) : value;
    }

    @Override
    public int getLineNumber() {
      return inner.getLineNumber();
    }

    @Override
    public void accept(NodeVisitor visitor) {
      inner.accept(visitor);
    }
  }

  /** Jinja's {@code tojson}: keys sorted, HTML-safe (and so safe inside single quotes). */
  private static final class ToJsonFilter implements Filter {
    @Override
    public List<String> getArgumentNames() {
      return List.of();
    }

    @Override
    public Object apply(
        Object input,
        Map<String, Object> args,
        PebbleTemplate self,
        EvaluationContext context,
        int lineNumber) {
      return TemplateJson.htmlSafe(input);
    }
  }
}
