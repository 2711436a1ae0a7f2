package io.updraft.sdk;

import io.updraft.dag.Dag;
import java.util.List;

/**
 * How Java code in the dags folder provides DAGs (SPEC §1.6): a {@code *.java} file or a class in a
 * {@code *.jar} implements this interface with a public no-argument constructor. The DAG processor
 * instantiates it in the code's own class loader and calls {@link #dags()} each time it parses the
 * file; the scheduler never loads it.
 *
 * <pre>{@code
 * public class OrdersDags implements DagSource {
 *   public List<Dag> dags() {
 *     return List.of(Dags.dag("orders_daily").schedule("@daily").startDate("2024-01-01")
 *         .task(Tasks.shell("load", "./load.sh {{ ds }}")).build());
 *   }
 * }
 * }</pre>
 */
public interface DagSource {
  /**
   * The DAGs this source defines. It should be quick and depend only on the code and files next to
   * it (no network), as it runs on every parse; an exception makes it an import error.
   */
  List<Dag> dags();
}
