package io.updraft.bundle;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles one {@code *.java} file in memory against the SDK alone: of the class path, only the
 * SDK's packages are visible, so importing Updraft's internals or its libraries is a compile error.
 */
final class SourceCompiler {
  /** A compile error at a place in the file. */
  record Error(long line, long column, String message) {}

  /** The classes by binary name, or the errors. */
  record Compiled(Map<String, byte[]> classes, List<Error> errors) {}

  private SourceCompiler() {}

  static Compiled compile(Path source) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      return new Compiled(
          Map.of(),
          List.of(
              new Error(
                  1,
                  1,
                  "this Java runtime has no compiler — run Updraft with a full JDK 21 or newer to"
                      + " use Java DAG files")));
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Map<String, ByteArrayOutputStream> out = new TreeMap<>();
    try (StandardJavaFileManager standard =
            javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
        JavaFileManager files = new SdkOnly(standard, out)) {
      List<File> classPath =
          Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
              .filter(p -> !p.isEmpty())
              .map(File::new)
              .toList();
      standard.setLocation(StandardLocation.CLASS_PATH, classPath);
      List<String> options =
          List.of("-proc:none", "-encoding", "UTF-8", "-g", "-parameters", "-Xlint:none");
      boolean ok =
          javac
              .getTask(
                  null,
                  files,
                  diagnostics,
                  options,
                  null,
                  standard.getJavaFileObjects(source.toFile()))
              .call();
      List<Error> errors = new ArrayList<>();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() == Diagnostic.Kind.ERROR) {
          errors.add(
              new Error(
                  Math.max(1, d.getLineNumber()),
                  Math.max(1, d.getColumnNumber()),
                  "does not compile: " + oneLine(d.getMessage(Locale.ROOT))));
        }
      }
      if (!ok && errors.isEmpty()) {
        errors.add(new Error(1, 1, "does not compile"));
      }
      Map<String, byte[]> classes = new TreeMap<>();
      out.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
      return new Compiled(ok ? classes : Map.of(), errors);
    }
  }

  /** javac's message on one line: "cannot find symbol; symbol: method x()". */
  private static String oneLine(String s) {
    return String.join("; ", s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
  }

  /** Lists only the SDK's packages from the class path, and keeps compiled classes in memory. */
  private static final class SdkOnly extends ForwardingJavaFileManager<StandardJavaFileManager> {
    private final Map<String, ByteArrayOutputStream> out;

    SdkOnly(StandardJavaFileManager standard, Map<String, ByteArrayOutputStream> out) {
      super(standard);
      this.out = out;
    }

    @Override
    public Iterable<JavaFileObject> list(
        Location location, String packageName, Set<JavaFileObject.Kind> kinds, boolean recurse)
        throws IOException {
      if (location == StandardLocation.CLASS_PATH
          && !SdkOnlyClassLoader.isSdkPackage(packageName)) {
        return List.of();
      }
      return super.list(location, packageName, kinds, recurse);
    }

    @Override
    public JavaFileObject getJavaFileForOutput(
        Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
      return new SimpleJavaFileObject(
          URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
        @Override
        public OutputStream openOutputStream() {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          out.put(className, bytes);
          return bytes;
        }
      };
    }
  }
}
