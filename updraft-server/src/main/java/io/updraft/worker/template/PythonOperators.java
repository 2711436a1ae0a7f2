package io.updraft.worker.template;

import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.node.expression.BinaryExpression;
import io.pebbletemplates.pebble.node.expression.UnaryExpression;
import io.pebbletemplates.pebble.operator.Associativity;
import io.pebbletemplates.pebble.operator.BinaryOperatorImpl;
import io.pebbletemplates.pebble.operator.BinaryOperatorType;
import io.pebbletemplates.pebble.operator.UnaryOperator;
import io.pebbletemplates.pebble.operator.UnaryOperatorImpl;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import io.pebbletemplates.pebble.utils.OperatorUtils;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * Jinja's arithmetic, which is Python's, in place of Pebble's Java arithmetic: {@code 10 / 4} is
 * {@code 2.5} and {@code 10 / 5} is {@code 2.0} (true division), {@code //} floors, {@code %} takes
 * the divisor's sign, {@code **} is a power, whole numbers do not overflow; a date plus or minus a
 * {@code timedelta} is a date, and two dates subtract to a timedelta. {@code ~} joins Python's
 * {@code str()} of each side ({@code 'a' ~ none} is {@code aNone}). Mixes Python refuses and Pebble
 * accepts ({@code 'a' + 1}) keep Pebble's result. {@code <}, {@code >}, ... order numbers, strings,
 * dates and timedeltas. {@code and}, {@code or} and {@code not} take Python's truth of any value
 * and give back the deciding operand. Precedences stay Pebble's.
 */
final class PythonOperators {

  /** Enough digits that rounding the quotient to a double rounds once, as Python's does. */
  private static final MathContext DIVISION = new MathContext(40);

  private PythonOperators() {}

  static List<io.pebbletemplates.pebble.operator.BinaryOperator> all() {
    return List.of(
        op("+", 40, PythonOperators::add),
        op("-", 40, PythonOperators::subtract),
        op("*", 60, PythonOperators::multiply),
        op("/", 60, PythonOperators::divide),
        op("//", 60, PythonOperators::floorDivide),
        op("%", 60, PythonOperators::modulo),
        op("**", 70, PythonOperators::power),
        op("~", 110, (a, b) -> PyText.str(a) + PyText.str(b)),
        op("<", 30, (a, b) -> compare(a, b, "<") < 0),
        op("<=", 30, (a, b) -> compare(a, b, "<=") <= 0),
        op(">", 30, (a, b) -> compare(a, b, ">") > 0),
        op(">=", 30, (a, b) -> compare(a, b, ">=") >= 0),
        new BinaryOperatorImpl(
            "or", 10, () -> new Logic(true), BinaryOperatorType.NORMAL, Associativity.LEFT),
        new BinaryOperatorImpl(
            "and", 15, () -> new Logic(false), BinaryOperatorType.NORMAL, Associativity.LEFT));
  }

  /**
   * Python's {@code not} binds looser than comparisons and tighter than {@code and} / {@code or}
   * ({@code not a == b} is {@code not (a == b)}); Pebble's bound tighter than everything.
   */
  private static final int NOT_PRECEDENCE = 17;

  /** Python's {@code not}: the opposite of the value's truth, None included. */
  static List<UnaryOperator> unary() {
    return List.of(new UnaryOperatorImpl("not", NOT_PRECEDENCE, Not.class));
  }

  /**
   * Python's {@code or} / {@code and}: the deciding operand itself, evaluated only when needed —
   * {@code params.x or 'none'} is {@code params.x} when it is true, else {@code 'none'}.
   */
  private static final class Logic extends BinaryExpression<Object> {
    private final boolean or;

    Logic(boolean or) {
      this.or = or;
    }

    @Override
    public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl context) {
      Object left = getLeftExpression().evaluate(self, context);
      return PyText.truthy(left) == or ? left : getRightExpression().evaluate(self, context);
    }
  }

  /** {@code not x}; public with a no-argument constructor, as Pebble builds it by reflection. */
  public static final class Not extends UnaryExpression {
    @Override
    public Boolean evaluate(PebbleTemplateImpl self, EvaluationContextImpl context) {
      return !PyText.truthy(getChildExpression().evaluate(self, context));
    }
  }

  private static io.pebbletemplates.pebble.operator.BinaryOperator op(
      String symbol, int precedence, BinaryOperator<Object> f) {
    return new BinaryOperatorImpl(
        symbol,
        precedence,
        () -> new Expression(symbol, f),
        BinaryOperatorType.NORMAL,
        Associativity.LEFT);
  }

  /** One use of an operator in a template. */
  private static final class Expression extends BinaryExpression<Object> {
    private final String symbol;
    private final BinaryOperator<Object> f;

    Expression(String symbol, BinaryOperator<Object> f) {
      this.symbol = symbol;
      this.f = f;
    }

    @Override
    public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl context) {
      Object left = getLeftExpression().evaluate(self, context);
      Object right = getRightExpression().evaluate(self, context);
      try {
        return f.apply(left, right);
      } catch (ArithmeticException | IllegalArgumentException | ClassCastException e) {
        throw new PebbleException(
            e,
            "cannot compute "
                + typeName(left)
                + " "
                + symbol
                + " "
                + typeName(right)
                + (e.getMessage() == null ? "" : ": " + e.getMessage()),
            getLineNumber(),
            self.getName());
      }
    }
  }

  private static String typeName(Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof String) {
      return "str";
    }
    if (isInt(v)) {
      return "int";
    }
    if (v instanceof Number) {
      return "float";
    }
    if (v instanceof PyDateTime) {
      return "datetime";
    }
    if (v instanceof PyTimedelta) {
      return "timedelta";
    }
    return TemplateJson.isStructured(v) ? (v instanceof java.util.Map ? "dict" : "list") : "object";
  }

  static Object add(Object a, Object b) {
    if (a instanceof PyDateTime d && b instanceof PyTimedelta t) {
      return d.plus(t);
    }
    if (a instanceof PyTimedelta t && b instanceof PyDateTime d) {
      return d.plus(t);
    }
    if (a instanceof PyTimedelta x && b instanceof PyTimedelta y) {
      return x.plus(y);
    }
    if (a instanceof PyDateTime || b instanceof PyDateTime) {
      throw new IllegalArgumentException(
          "add a timedelta to a date, e.g. macros.timedelta(days=1)");
    }
    if (isNumber(a) && isNumber(b)) {
      return isInt(a) && isInt(b) ? narrow(big(a).add(big(b))) : dbl(a) + dbl(b);
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      List<Object> out = new ArrayList<>(x);
      out.addAll(y);
      return out;
    }
    return OperatorUtils.add(a, b);
  }

  static Object subtract(Object a, Object b) {
    if (a instanceof PyDateTime d && b instanceof PyTimedelta t) {
      return d.plus(t.negated());
    }
    if (a instanceof PyDateTime x && b instanceof PyDateTime y) {
      return x.minus(y);
    }
    if (a instanceof PyTimedelta x && b instanceof PyTimedelta y) {
      return x.plus(y.negated());
    }
    if (isNumber(a) && isNumber(b)) {
      return isInt(a) && isInt(b) ? narrow(big(a).subtract(big(b))) : dbl(a) - dbl(b);
    }
    if (a instanceof PyDateTime || a instanceof PyTimedelta) {
      throw new IllegalArgumentException("subtract a timedelta or a date");
    }
    return OperatorUtils.subtract(a, b);
  }

  static Object multiply(Object a, Object b) {
    if (a instanceof PyTimedelta t && isInt(b)) {
      return t.times(big(b).longValueExact());
    }
    if (isInt(a) && b instanceof PyTimedelta t) {
      return t.times(big(a).longValueExact());
    }
    if (a instanceof String s && isInt(b)) {
      return s.repeat(Math.max(0, big(b).intValueExact()));
    }
    if (isNumber(a) && isNumber(b)) {
      return isInt(a) && isInt(b) ? narrow(big(a).multiply(big(b))) : dbl(a) * dbl(b);
    }
    return OperatorUtils.multiply(a, b);
  }

  static Object divide(Object a, Object b) {
    requireNumbers(a, b);
    if (dbl(b) == 0) {
      throw new ArithmeticException("division by zero");
    }
    return isInt(a) && isInt(b)
        ? new BigDecimal(big(a)).divide(new BigDecimal(big(b)), DIVISION).doubleValue()
        : dbl(a) / dbl(b);
  }

  static Object floorDivide(Object a, Object b) {
    requireNumbers(a, b);
    if (dbl(b) == 0) {
      throw new ArithmeticException("division by zero");
    }
    if (isInt(a) && isInt(b)) {
      BigInteger[] qr = big(a).divideAndRemainder(big(b));
      BigInteger q = qr[0];
      if (qr[1].signum() != 0 && qr[1].signum() != big(b).signum()) {
        q = q.subtract(BigInteger.ONE);
      }
      return narrow(q);
    }
    return Math.floor(dbl(a) / dbl(b));
  }

  static Object modulo(Object a, Object b) {
    requireNumbers(a, b);
    if (dbl(b) == 0) {
      throw new ArithmeticException("division by zero");
    }
    if (isInt(a) && isInt(b)) {
      BigInteger m = big(a).mod(big(b).abs());
      return narrow(big(b).signum() < 0 && m.signum() != 0 ? m.add(big(b)) : m);
    }
    double x = dbl(a);
    double y = dbl(b);
    return x - y * Math.floor(x / y);
  }

  static Object power(Object a, Object b) {
    requireNumbers(a, b);
    if (isInt(a) && isInt(b) && big(b).signum() >= 0) {
      return narrow(big(a).pow(big(b).intValueExact()));
    }
    return Math.pow(dbl(a), dbl(b));
  }

  /**
   * Python's ordering for {@code < <= > >=}: numbers with numbers, strings with strings, dates with
   * dates of the same kind, timedeltas with timedeltas (Pebble's compared numbers only).
   */
  static int compare(Object a, Object b, String symbol) {
    if (isNumber(a) && isNumber(b)) {
      return isInt(a) && isInt(b) ? big(a).compareTo(big(b)) : Double.compare(dbl(a), dbl(b));
    }
    if (a instanceof String x && b instanceof String y) {
      return x.compareTo(y);
    }
    if (a instanceof PyDateTime x && b instanceof PyDateTime y) {
      if (x.aware() != y.aware()) {
        throw new IllegalArgumentException("can't compare offset-naive and offset-aware datetimes");
      }
      return x.time().compareTo(y.time());
    }
    if (a instanceof PyTimedelta x && b instanceof PyTimedelta y) {
      return Long.compare(x.micros(), y.micros());
    }
    throw new IllegalArgumentException(
        "'" + symbol + "' is not supported between " + typeName(a) + " and " + typeName(b));
  }

  private static void requireNumbers(Object a, Object b) {
    if (!isNumber(a) || !isNumber(b)) {
      throw new IllegalArgumentException("both sides must be numbers");
    }
  }

  /** Python's bool is an int: {@code true + 1} is 2. */
  static boolean isInt(Object v) {
    return v instanceof Integer
        || v instanceof Long
        || v instanceof Short
        || v instanceof Byte
        || v instanceof BigInteger
        || v instanceof Boolean;
  }

  static boolean isNumber(Object v) {
    return v instanceof Number || v instanceof Boolean;
  }

  static BigInteger big(Object v) {
    if (v instanceof Boolean b) {
      return b ? BigInteger.ONE : BigInteger.ZERO;
    }
    return v instanceof BigInteger b ? b : BigInteger.valueOf(((Number) v).longValue());
  }

  private static double dbl(Object v) {
    return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue();
  }

  /** A Long when it fits, so results look and compare like the numbers Pebble makes. */
  static Number narrow(BigInteger v) {
    return v.bitLength() < 64 ? (Number) v.longValue() : v;
  }
}
