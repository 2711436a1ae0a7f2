import io.updraft.dag.Dag;
import io.updraft.sdk.DagSource;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Operator;
import io.updraft.sdk.SkipTaskException;
import io.updraft.sdk.TaskContext;
import io.updraft.sdk.Tasks;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Java DAG file with a custom operator. The DAG processor compiles it in a child JVM; each try
 * of {@code load} runs in a warm worker JVM kept for this file's classes, in a class loader of its
 * own.
 */
public class Warehouse implements DagSource {

  /** Loads one table for the run's day; returns what it loaded (its XCom). */
  public static class Load implements Operator {
    @Override
    public Object execute(TaskContext ctx) throws Exception {
      String table = (String) ctx.args().get("table");
      if (table.isBlank()) {
        throw new SkipTaskException("no table given");
      }
      ctx.log().println("loading " + table + " for " + ctx.dataIntervalStart());
      Thread.sleep(100); // stands for the real work; an interrupt means timeout or cancel
      return Map.of("table", table, "rows", 1234);
    }
  }

  @Override
  public List<Dag> dags() {
    return List.of(
        Dags.dag("warehouse_daily")
            .schedule("0 3 * * *")
            .timezone("Europe/Amsterdam")
            .startDate("2024-01-01")
            .tags(List.of("java"))
            .task(Tasks.shell("extract", "echo extracting {{ ds }}"))
            .task(
                Tasks.custom("load", Load.class)
                    .arg("table", "orders_{{ ds_nodash }}")
                    .executionTimeout(Duration.ofMinutes(10))
                    .upstream("extract"))
            .task(
                Tasks.shell("report", "echo {{ ti.xcom_pull(task_ids='load').rows }} rows")
                    .upstream("load"))
            .build());
  }
}
