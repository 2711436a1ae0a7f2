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
import io.pebbletemplates.pebble.node.BodyNode;
import io.pebbletemplates.pebble.node.IfNode;
import io.pebbletemplates.pebble.node.PrintNode;
import io.pebbletemplates.pebble.node.expression.Expression;
import io.pebbletemplates.pebble.operator.Associativity;
import io.pebbletemplates.pebble.operator.BinaryOperator;
import io.pebbletemplates.pebble.operator.BinaryOperatorImpl;
import io.pebbletemplates.pebble.operator.BinaryOperatorType;
import io.pebbletemplates.pebble.operator.UnaryOperator;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import io.pebbletemplates.pebble.utils.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
 * <p>What {@code {{ ... }}} prints is Python's {@code str()} of the value ({@link PyText}): {@code
 * None}, {@code True}, {@code 2.0}; a map or list as JSON ({@link TemplateJson}), never as Java's
 * {@code toString}. Filters, operators and constants are Jinja's ({@link JinjaFilters}, {@link
 * PythonOperators}); Python's methods of a dict ({@code dag_run.conf.get('k', 'default')}) work on
 * maps ({@link PyDicts}).
 */
final class UpdraftPebbleExtension extends AbstractExtension {

  @Override
  public List<NodeVisitorFactory> getNodeVisitors() {
    return List.of(template -> new PythonPrinting((PebbleTemplateImpl) template));
  }

  @Override
  public Map<String, Filter> getFilters() {
    Map<String, Filter> filters = new LinkedHashMap<>(JinjaFilters.all());
    filters.put("tojson", new ToJsonFilter());
    return filters;
  }

  /** Needs {@code allowOverrideCoreOperators}: these replace Pebble's own operators. */
  @Override
  public List<BinaryOperator> getBinaryOperators() {
    List<BinaryOperator> operators = new ArrayList<>(PythonOperators.all());
    operators.add(
        new BinaryOperatorImpl(
            "|", 100, JinjaFilterExpression::new, BinaryOperatorType.FILTER, Associativity.LEFT));
    return operators;
  }

  @Override
  public List<UnaryOperator> getUnaryOperators() {
    return PythonOperators.unary();
  }

  /**
   * Python's spellings of the constants, beside Pebble's {@code true}, {@code false}, {@code none}.
   */
  @Override
  public Map<String, Object> getGlobalVariables() {
    Map<String, Object> constants = new HashMap<>();
    constants.put("True", true);
    constants.put("False", false);
    constants.put("None", null);
    return constants;
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
    if (instance instanceof Map<?, ?> map && args != null) {
      return new ResolvedAttribute(
          PyDicts.call(map, String.valueOf(attributeName), argumentValues, lineNumber, filename));
    }
    TemplateObject object = asObject(instance);
    if (object == null) {
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

  /** The attributes and methods of a context value; null for a plain value. */
  private static TemplateObject asObject(Object value) {
    if (value instanceof TemplateObject o) {
      return o;
    }
    if (value instanceof PyDateTime d) {
      return d.object();
    }
    return value instanceof PyTimedelta t ? t.object() : null;
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
      TemplateObject object = asObject(target);
      if (object == null) {
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

  /**
   * Wraps the expression of every {@code {{ ... }}} so it prints as Jinja prints it: {@code None},
   * {@code True}, {@code 2.0}; a map or list as JSON.
   */
  private static final class PythonPrinting extends AbstractNodeVisitor {
    PythonPrinting(PebbleTemplateImpl template) {
      super(template);
    }

    @Override
    public void visit(PrintNode node) {
      if (!(node.getExpression() instanceof AsPythonText)) {
        node.setExpression(new AsPythonText(node.getExpression()));
      }
    }

    /** Pebble refuses {@code {% if none %}} when variables are strict; Jinja takes it as false. */
    @Override
    public void visit(IfNode node) {
      List<Pair<Expression<?>, BodyNode>> branches = node.getConditionsWithBodies();
      for (int i = 0; i < branches.size(); i++) {
        Pair<Expression<?>, BodyNode> branch = branches.get(i);
        if (!(branch.getLeft() instanceof Truth)) {
          branches.set(i, new Pair<>(new Truth(branch.getLeft()), branch.getRight()));
        }
      }
      super.visit(node);
    }
  }

  /** Python's truth value of a condition: None, 0, "" and empty lists and maps are false. */
  private record Truth(Expression<?> inner) implements Expression<Boolean> {
    @Override
    public Boolean evaluate(PebbleTemplateImpl self, EvaluationContextImpl context) {
      return PyText.truthy(inner.evaluate(self, context));
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

  /**
   * An expression whose value becomes Python's text of it ({@link PyText}); strings pass through.
   */
  private record AsPythonText(Expression<?> inner) implements Expression<Object> {
    @Override
    public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl context) {
      Object value = inner.evaluate(self, context);
      return value instanceof String ? value : PyText.str(value);
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
