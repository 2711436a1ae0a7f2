package io.updraft.bundle;

import java.util.List;

/**
 * The parent of a bundle's class loader: the JDK, plus the SDK's packages ({@code io.updraft.sdk},
 * {@code io.updraft.dag}, {@code io.updraft.timetable}, and {@code io.updraft}, which holds only
 * the SDK's {@code UpdraftException}) from the JVM's own class path, so user code and Updraft share
 * the SDK's types. Nothing else of Updraft or its libraries is visible: a bundle cannot reach the
 * server's internals, nor clash with its libraries.
 */
final class SdkOnlyClassLoader extends ClassLoader {
  static final List<String> SDK_PACKAGES =
      List.of("io.updraft", "io.updraft.sdk", "io.updraft.dag", "io.updraft.timetable");

  private final ClassLoader app = SdkOnlyClassLoader.class.getClassLoader();

  SdkOnlyClassLoader() {
    super("updraft-sdk", ClassLoader.getPlatformClassLoader());
  }

  static boolean isSdkPackage(String packageName) {
    return SDK_PACKAGES.contains(packageName);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    int dot = name.lastIndexOf('.');
    if (dot > 0 && isSdkPackage(name.substring(0, dot))) {
      return app.loadClass(name);
    }
    throw new ClassNotFoundException(name);
  }
}
