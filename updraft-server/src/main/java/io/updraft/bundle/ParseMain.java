package io.updraft.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.dag.CustomOperators;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.sdk.DagSource;
import io.updraft.sdk.Operator;
import io.updraft.serde.DagSerializer;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Entry point of the child JVM that parses one Java DAG file or jar for the DAG processor: {@code
 * ParseMain FILE RESULT BUNDLE}. Compiles a {@code *.java} file (its classes become the jar {@code
 * BUNDLE}; a jar is its own bundle), asks every public {@code DagSource} in it for DAGs, checks
 * each custom operator is an {@code Operator} of the bundle, and writes {@link ParseOutput} to
 * {@code RESULT} as JSON. A JVM that ends without writing it (user code called {@code System.exit},
 * or was killed at the file timeout) tells the DAG processor the parse failed.
 */
public final class ParseMain {
  private ParseMain() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    Path result = Path.of(args[1]);
    Path bundle = Path.of(args[2]);
    ParseOutput out;
    try {
      out = parse(file, bundle);
    } catch (Exception | LinkageError e) {
      out = ParseOutput.failed("cannot load the Java code: " + e);
    }
    Path partial = result.resolveSibling(result.getFileName() + ".part");
    new ObjectMapper().writeValue(partial.toFile(), out);
    Files.move(partial, result);
    System.exit(0); // threads the user's code left behind must not keep this JVM alive
  }

  static ParseOutput parse(Path file, Path bundle) throws IOException {
    List<String> classNames;
    Path jar;
    if (file.getFileName().toString().endsWith(".java")) {
      SourceCompiler.Compiled compiled = SourceCompiler.compile(file);
      if (!compiled.errors().isEmpty()) {
        List<ParseOutput.Error> errors = new ArrayList<>();
        for (SourceCompiler.Error e : compiled.errors()) {
          errors.add(new ParseOutput.Error(e.line(), e.column(), e.message()));
        }
        return new ParseOutput(List.of(), errors, null);
      }
      Files.write(bundle, BundleJar.of(compiled.classes()));
      classNames = List.copyOf(compiled.classes().keySet());
      jar = bundle;
    } else {
      classNames = classesOf(file);
      jar = file;
    }
    try (URLClassLoader loader =
        new URLClassLoader(
            "bundle", new java.net.URL[] {jar.toUri().toURL()}, new SdkOnlyClassLoader())) {
      Thread.currentThread().setContextClassLoader(loader);
      return new Sources(file, loader).read(classNames, jar);
    }
  }

  /** The classes of a jar, by binary name. */
  private static List<String> classesOf(Path jar) throws IOException {
    List<String> names = new ArrayList<>();
    try (JarFile j = new JarFile(jar.toFile())) {
      Enumeration<JarEntry> entries = j.entries();
      while (entries.hasMoreElements()) {
        String name = entries.nextElement().getName();
        if (name.endsWith(".class")
            && !name.startsWith("META-INF/")
            && !name.endsWith("module-info.class")) {
          names.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
        }
      }
    }
    names.sort(null);
    return names;
  }

  /** Finds the DagSources of a bundle and collects their DAGs. */
  private record Sources(Path file, ClassLoader loader) {
    ParseOutput read(List<String> classNames, Path jar) {
      List<String> dags = new ArrayList<>();
      List<ParseOutput.Error> errors = new ArrayList<>();
      Set<String> dagIds = new HashSet<>();
      boolean custom = false;
      int sources = 0;
      for (String name : classNames) {
        Class<?> c = dagSource(name);
        if (c == null) {
          continue;
        }
        sources++;
        List<Dag> got;
        try {
          got = List.copyOf(((DagSource) c.getConstructor().newInstance()).dags());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
          Throwable cause =
              e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
          errors.add(
              new ParseOutput.Error(
                  lineOf(cause), 1, "DagSource " + name + " failed: " + describe(cause)));
          continue;
        }
        for (Dag dag : got) {
          if (dag == null) {
            continue;
          }
          if (!dagIds.add(dag.dagId())) {
            errors.add(
                new ParseOutput.Error(
                    1,
                    1,
                    "dag_id '"
                        + dag.dagId()
                        + "' is returned twice by the DagSources of this file — give each DAG"
                        + " its own dag_id"));
            continue;
          }
          String problem = operatorProblem(dag);
          if (problem != null) {
            errors.add(new ParseOutput.Error(1, 1, problem));
            continue;
          }
          custom |= dag.tasks().stream().anyMatch(t -> CustomOperators.isCustom(t.operator()));
          dags.add(DagSerializer.toJson(dag));
        }
      }
      if (sources == 0) {
        errors.add(
            new ParseOutput.Error(
                1,
                1,
                "no public class implements io.updraft.sdk.DagSource — add one with a public"
                    + " no-argument constructor whose dags() returns the DAGs"));
      }
      return new ParseOutput(dags, errors, custom ? jar.toString() : null);
    }

    /** The class if it is a DagSource the processor can create, else null. */
    private Class<?> dagSource(String name) {
      try {
        Class<?> c = Class.forName(name, false, loader);
        int m = c.getModifiers();
        if (DagSource.class.isAssignableFrom(c)
            && Modifier.isPublic(m)
            && !Modifier.isAbstract(m)
            && !c.isInterface()
            && (c.getEnclosingClass() == null || Modifier.isStatic(m))) {
          return c;
        }
      } catch (ClassNotFoundException | LinkageError e) {
        // a class of the jar that needs a library the bundle lacks: not a DagSource we can use
      }
      return null;
    }

    /** Why a custom operator of the DAG cannot run, or null. */
    private String operatorProblem(Dag dag) {
      for (Task t : dag.tasks()) {
        if (!CustomOperators.isCustom(t.operator())) {
          continue;
        }
        String cls = CustomOperators.className(t.operator());
        String where = "task '" + t.taskId() + "' of DAG '" + dag.dagId() + "': operator " + cls;
        try {
          Class<?> c = Class.forName(cls, false, loader);
          if (!Operator.class.isAssignableFrom(c)) {
            return where + " does not implement io.updraft.sdk.Operator — implement it";
          }
          if (!Modifier.isPublic(c.getModifiers()) || Modifier.isAbstract(c.getModifiers())) {
            return where + " must be a public, non-abstract class";
          }
          c.getConstructor();
        } catch (ClassNotFoundException | LinkageError e) {
          return where
              + " is not in this file's code — define the operator in the same Java file or jar"
              + " as the DAG";
        } catch (NoSuchMethodException e) {
          return where + " needs a public no-argument constructor";
        }
      }
      return null;
    }

    /** The line of this file where the exception was thrown, or 1. */
    private int lineOf(Throwable e) {
      String name = file.getFileName().toString();
      for (StackTraceElement f : e.getStackTrace()) {
        if (name.equals(f.getFileName()) && f.getLineNumber() > 0) {
          return f.getLineNumber();
        }
      }
      return 1;
    }

    private static String describe(Throwable e) {
      String message = e.getMessage();
      return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
  }
}
