package io.updraft.worker.template;

import io.pebbletemplates.pebble.error.AttributeNotFoundException;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.core.DefaultFilter;
import io.pebbletemplates.pebble.extension.escaper.EscapeFilter;
import io.pebbletemplates.pebble.extension.escaper.SafeString;
import io.pebbletemplates.pebble.node.expression.FilterExpression;
import io.pebbletemplates.pebble.node.expression.FilterInvocationExpression;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import java.util.Map;

/**
 * {@code value | filter(...)}, as Pebble's {@link FilterExpression} but telling {@code default} an
 * undefined value ({@link JinjaFilters#UNDEFINED}) from a null one: Pebble hands both over as null,
 * and Jinja's {@code default} replaces only the first.
 */
final class JinjaFilterExpression extends FilterExpression {

  @Override
  public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl context) {
    FilterInvocationExpression invocation = (FilterInvocationExpression) getRightExpression();
    String name = invocation.getFilterName();
    Filter filter = context.getExtensionRegistry().getFilter(name);
    if (filter == null) {
      throw new PebbleException(
          null, "no filter named '" + name + "'", getLineNumber(), self.getName());
    }
    Map<String, Object> args = invocation.getArgs().getArgumentMap(self, context, filter);
    Object input;
    if (filter instanceof DefaultFilter) {
      try {
        input = getLeftExpression().evaluate(self, context);
      } catch (AttributeNotFoundException undefined) {
        input = filter instanceof JinjaFilters.Default ? JinjaFilters.UNDEFINED : null;
      }
    } else {
      input = getLeftExpression().evaluate(self, context);
    }
    if (input instanceof SafeString && !(filter instanceof EscapeFilter)) {
      input = input.toString();
    }
    return filter.apply(input, args, self, context, getLineNumber());
  }
}
