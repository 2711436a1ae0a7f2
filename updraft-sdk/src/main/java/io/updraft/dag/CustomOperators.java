package io.updraft.dag;

import java.util.regex.Pattern;

/**
 * Names of custom operators (SPEC §1.6). A task whose operator is a Java class's fully qualified
 * binary name ({@code com.acme.LoadOperator}, or {@code Orders$Load} for a class nested in another)
 * runs that class, an {@code io.updraft.sdk.Operator}. Once the DAG processor has checked the class
 * in the code that defined the DAG, it pins the name to that code's bundle: {@code
 * com.acme.LoadOperator@<sha-256 of the bundle>}. The pinned name is part of the DAG's serialized
 * form, so new operator code is a new DAG version, and a worker loads the class from exactly that
 * bundle.
 */
public final class CustomOperators {
  private static final String PART = "[A-Za-z_$][A-Za-z0-9_$]*";
  private static final Pattern NAME = Pattern.compile(PART + "([.$]" + PART + ")+(@[0-9a-f]{64})?");

  private CustomOperators() {}

  /** True for a class name, pinned or not; built-in operator names have no dot and no {@code $}. */
  public static boolean isCustom(String operator) {
    return operator != null && NAME.matcher(operator).matches();
  }

  /** True for a class name pinned to a bundle. */
  public static boolean isPinned(String operator) {
    return isCustom(operator) && operator.indexOf('@') > 0;
  }

  /** The class name of a custom operator, without its bundle. */
  public static String className(String operator) {
    int at = operator.indexOf('@');
    return at < 0 ? operator : operator.substring(0, at);
  }

  /** The bundle hash of a pinned operator, or null. */
  public static String bundleHash(String operator) {
    int at = operator.indexOf('@');
    return at < 0 ? null : operator.substring(at + 1);
  }

  /** The operator pinned to the bundle with this SHA-256 (64 hex digits). */
  public static String pinned(String operator, String bundleHash) {
    return className(operator) + "@" + bundleHash;
  }
}
