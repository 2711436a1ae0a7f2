package io.updraft.worker.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.timetable.DataInterval;
import io.updraft.worker.XComLookup;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateRendererTest {

  static final Instant LOGICAL = Instant.parse("2024-01-31T02:00:00Z");
  static final DataInterval INTERVAL =
      new DataInterval(LOGICAL, Instant.parse("2024-02-01T02:00:00Z"));

  final TemplateRenderer renderer = new TemplateRenderer();
  final Map<String, Object> xcomStore = new HashMap<>();
  final XComLookup xcoms =
      (dag, run, task, key) ->
          Optional.ofNullable(xcomStore.get(dag + "/" + run + "/" + task + "/" + key));

  TryContext context(Map<String, Object> params, Map<String, Object> conf) {
    return new TryContext(
        "orders",
        "load",
        "shell",
        "data-eng",
        "scheduled__2024-01-31T02:00:00+00:00",
        LOGICAL,
        INTERVAL,
        params,
        conf,
        2,
        xcoms,
        Map.of("env_name", "prod", "limits", "{\"rows\": 10}"),
        Map.of(
            "core", Map.of("parallelism", "32", "dags_are_paused_at_creation", "true"),
            "scheduler", Map.of("task_queued_timeout", "10m")),
        null);
  }

  String render(String template) {
    return render(template, Map.of(), Map.of());
  }

  String render(String template, Map<String, Object> params, Map<String, Object> conf) {
    return renderer.render("load", "command", template, TemplateContext.of(context(params, conf)));
  }

  @Test
  void dateNamesHaveAirflowFormats() {
    assertThat(render("{{ ds }}")).isEqualTo("2024-01-31");
    assertThat(render("{{ ds_nodash }}")).isEqualTo("20240131");
    assertThat(render("{{ ts }}")).isEqualTo("2024-01-31T02:00:00+00:00");
    assertThat(render("{{ ts_nodash }}")).isEqualTo("20240131T020000");
    assertThat(render("{{ ts_nodash_with_tz }}")).isEqualTo("20240131T020000+0000");
    // str() of a pendulum 3 DateTime, as Airflow 2.10 prints these
    assertThat(render("{{ logical_date }}")).isEqualTo("2024-01-31 02:00:00+00:00");
    assertThat(render("{{ data_interval_start }}")).isEqualTo("2024-01-31 02:00:00+00:00");
    assertThat(render("{{ data_interval_end }}")).isEqualTo("2024-02-01 02:00:00+00:00");
    assertThat(render("{{ data_interval_end.isoformat() }}"))
        .isEqualTo("2024-02-01T02:00:00+00:00");
    assertThat(render("{{ logical_date.strftime('%Y/%m/%d %H:%M') }}"))
        .isEqualTo("2024/01/31 02:00");
    assertThat(render("{{ logical_date.year }}-{{ logical_date.month }}")).isEqualTo("2024-1");
  }

  @Test
  void tsShowsMicrosecondsOnlyWhenPresent() {
    assertThat(PyDates.ts(Instant.parse("2024-01-31T02:00:00.123456789Z")))
        .isEqualTo("2024-01-31T02:00:00.123456+00:00");
    assertThat(PyDates.tsNodash(Instant.parse("2024-01-31T02:00:00.5Z")))
        .isEqualTo("20240131T020000");
  }

  @Test
  void runAndTaskInstanceNames() {
    assertThat(render("{{ run_id }}")).isEqualTo("scheduled__2024-01-31T02:00:00+00:00");
    assertThat(render("{{ dag_run.run_id }} {{ dag_run.run_type }} {{ dag_run.logical_date }}"))
        .isEqualTo("scheduled__2024-01-31T02:00:00+00:00 scheduled 2024-01-31 02:00:00+00:00");
    assertThat(render("{{ ti.task_id }} {{ ti.dag_id }} {{ ti.try_number }} {{ ti.run_id }}"))
        .isEqualTo("load orders 2 scheduled__2024-01-31T02:00:00+00:00");
    assertThat(render("{{ task_instance.task_id }}")).isEqualTo("load");
    assertThat(render("{{ task_instance_key_str }}")).isEqualTo("orders__load__20240131");
    assertThat(render("{{ dag.dag_id }} {{ task.task_id }} {{ task.owner }}"))
        .isEqualTo("orders load data-eng");
  }

  @Test
  void xcomPullWithAirflowCallSyntax() {
    String run = "scheduled__2024-01-31T02:00:00+00:00";
    xcomStore.put("orders/" + run + "/extract/return_value", "/data/x.csv");
    xcomStore.put("orders/" + run + "/extract/rows", 42);
    xcomStore.put("orders/" + run + "/other/return_value", "b");
    xcomStore.put("shared/" + run + "/t/return_value", "from another dag");

    assertThat(render("{{ ti.xcom_pull(task_ids='extract') }}")).isEqualTo("/data/x.csv");
    assertThat(render("{{ ti.xcom_pull('extract') }}")).isEqualTo("/data/x.csv");
    assertThat(render("{{ ti.xcom_pull(task_ids='extract', key='rows') }}")).isEqualTo("42");
    assertThat(render("{{ task_instance.xcom_pull(task_ids='extract', key='return_value') }}"))
        .isEqualTo("/data/x.csv");
    assertThat(render("{{ ti.xcom_pull(task_ids=['extract', 'missing', 'other']) | join(',') }}"))
        .isEqualTo("/data/x.csv,b");
    assertThat(render("{{ ti.xcom_pull(task_ids='t', dag_id='shared') }}"))
        .isEqualTo("from another dag");
    // Airflow's xcom_pull gives None when nothing was pushed, and Jinja prints it
    assertThat(render("[{{ ti.xcom_pull(task_ids='missing') }}]")).isEqualTo("[None]");
    assertThat(render("a\n{{ ti.xcom_pull(\n  task_ids='extract') }}\nb"))
        .isEqualTo("a\n/data/x.csv\nb");
    assertThatThrownBy(() -> render("a\n{{ ti.xcom_pull(\n task_ids='x') }}\n{{ nope }}"))
        .hasMessageContaining("(template line 4)");
    assertThat(render("{{ ti.xcom_pull(task_ids='missing', default='none yet') }}"))
        .isEqualTo("none yet");
  }

  @Test
  void xcomPullArgumentErrorsAreClear() {
    assertThatThrownBy(() -> render("{{ ti.xcom_pull() }}"))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessageContaining("needs task_ids");
    assertThatThrownBy(() -> render("{{ ti.xcom_pull(task_id='a') }}"))
        .hasMessageContaining("has no argument 'task_id'");
    assertThatThrownBy(() -> render("{{ ti.xcom_pull }}"))
        .hasMessageContaining("it is a method: call it");
  }

  @Test
  void paramsAreDagParamsOverlaidWithRunConf() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("table", "orders");
    params.put("limit", 10);
    Map<String, Object> conf = Map.of("table", "orders_backfill", "extra", "yes");
    assertThat(render("{{ params.table }} {{ params.limit }} {{ params.extra }}", params, conf))
        .isEqualTo("orders_backfill 10 yes");
    assertThat(render("{{ params.table }}", params, Map.of())).isEqualTo("orders");
    assertThat(render("{{ dag_run.conf.table }} {{ dag_run.conf.extra }}", params, conf))
        .isEqualTo("orders_backfill yes");
  }

  /**
   * SPEC §1.3: {@code conf} is the configuration, as in Airflow; the run's conf is {@code
   * dag_run.conf}. Maps and lists print as JSON (Python's json.dumps), never as Java's toString.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = "=>",
      quoteCharacter = '`',
      value = {
        "{{ conf.get('core', 'parallelism') }}                 => 32",
        "{{ conf.getint('core', 'parallelism') + 1 }}          => 33",
        "{{ conf.getboolean('core', 'dags_are_paused_at_creation') }} => True",
        "{{ conf.core.parallelism }}                            => 32",
        "{{ conf['scheduler']['task_queued_timeout'] }}         => 10m",
        "{{ conf.get('core', 'nope', fallback='x') }}           => x",
        "{{ conf.has_option('core', 'parallelism') }}           => True",
        "{{ conf }}                                             => <configuration>",
        "{{ dag_run.conf }}                                     => `{\"table\": \"t\", \"ids\": [1, 2], \"opts\": {\"deep\": true, \"none\": null}}`",
        "{{ dag_run.conf.ids }}                                 => [1, 2]",
        "{{ dag_run.conf.opts }}                                => `{\"deep\": true, \"none\": null}`",
        "{{ params }}                                           => `{\"limit\": 5, \"table\": \"t\", \"ids\": [1, 2], \"opts\": {\"deep\": true, \"none\": null}}`",
        "{{ params.ids | join(',') }}                           => 1,2",
        "{% for i in dag_run.conf.ids %}{{ i }};{% endfor %}    => 1;2;",
        "{% if true %}{{ dag_run.conf.ids }}{% endif %}         => [1, 2]",
        "{{ var.json.limits }}                                  => `{\"rows\": 10}`",
        "{{ dag_run.conf | tojson }}                            => `{\"ids\": [1, 2], \"opts\": {\"deep\": true, \"none\": null}, \"table\": \"t\"}`",
        "{{ \"it's <b>\" | tojson }}                          => `\"it\\u0027s \\u003cb\\u003e\"`",
        "{{ [logical_date] }}                                   => `[\"2024-01-31 02:00:00+00:00\"]`",
        "{{ {} }}                                               => {}",
      })
  void confIsTheConfigurationAndMapsAndListsPrintAsJson(String template, String expected) {
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("table", "t");
    conf.put("ids", List.of(1, 2));
    Map<String, Object> opts = new LinkedHashMap<>();
    opts.put("deep", true);
    opts.put("none", null);
    conf.put("opts", opts);
    assertThat(render(template, Map.of("limit", 5), conf)).isEqualTo(expected);
  }

  @Test
  void anUnknownSettingSaysWhereTheRunsConfIs() {
    assertThatThrownBy(() -> render("{{ conf.get('core', 'table') }}"))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessageContaining("no setting core.table")
        .hasMessageContaining("the run's conf is dag_run.conf");
    assertThatThrownBy(() -> render("{{ conf.table }}"))
        .hasMessageContaining("'conf' has no attribute 'table'");
  }

  @Test
  void varAndMacros() {
    assertThat(render("{{ var.value.env_name }} {{ var.json.limits.rows }}")).isEqualTo("prod 10");
    assertThat(render("{{ macros.ds_add(ds, 5) }} {{ macros.ds_add('2015-01-06', -5) }}"))
        .isEqualTo("2024-02-05 2015-01-01");
    assertThat(render("{{ macros.ds_format(ds, '%Y-%m-%d', '%m-%d-%y') }}")).isEqualTo("01-31-24");
    assertThat(render("{{ macros.ds_format('1/5/2015', '%m/%d/%Y', '%Y-%m-%d') }}"))
        .isEqualTo("2015-01-05");
    assertThat(render("{{ macros.ds_format(ds, '%Y-%m-%d', '%A %d %B %Y, day %j') }}"))
        .isEqualTo("Wednesday 31 January 2024, day 031");
  }

  @Test
  void unknownVariableNamesTaskKeyAndVariable() {
    assertThatThrownBy(() -> render("echo {{ nope }}"))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessageContaining("command")
        .hasMessageContaining("task 'load'")
        .hasMessageContaining("unknown variable 'nope'")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> render("{{ params.missing }}")).hasMessageContaining("'missing'");
    assertThatThrownBy(() -> render("{{ ti.nope }}"))
        .hasMessageContaining("'ti' has no attribute 'nope'");
    assertThatThrownBy(() -> render("{{ var.value.unset }}")).hasMessageContaining("'unset'");
  }

  @Test
  void syntaxErrorIsOneLine() {
    assertThatThrownBy(() -> render("line one\n{{ ds "))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessageStartingWith("cannot render command of task 'load': syntax error")
        .hasMessageNotContaining("\n");
  }

  @Test
  void templatesCannotReachClassesOrResources() {
    assertThatThrownBy(() -> render("{{ ds.getClass() }}")).hasMessageContaining("not allowed");
    assertThatThrownBy(() -> render("{{ ti.getClass() }}"))
        .hasMessageContaining("has no method 'getClass'");
    assertThatThrownBy(() -> render("{{ i18n('messages', 'x') }}"))
        .isInstanceOf(TemplateRenderException.class);
    // include with a string loader only ever sees its own argument as text
    assertThat(render("{% include '/etc/hostname' %}")).isEqualTo("/etc/hostname");
    // string methods stay usable, as in Jinja
    assertThat(render("{{ ds.replace('-', '') }}")).isEqualTo("20240131");
  }

  @Test
  void rendersNestedValuesAndEnvButNotKeysOrNonStrings() {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("command", "echo {{ ds }}");
    args.put("skip_on_exit_code", 99);
    args.put("headers", Map.of("{{ ds }}", "v-{{ ds_nodash }}"));
    args.put("wait", List.of(Map.of("file", "/data/{{ ds }}.csv"), "{{ run_id }}"));
    Map<String, Object> ctx = TemplateContext.of(context(Map.of(), Map.of()));
    Map<String, Object> out = renderer.renderArgs("load", args, ctx);
    assertThat(out.get("command")).isEqualTo("echo 2024-01-31");
    assertThat(out.get("skip_on_exit_code")).isEqualTo(99);
    assertThat(out.get("headers")).isEqualTo(Map.of("{{ ds }}", "v-20240131"));
    assertThat(out.get("wait"))
        .isEqualTo(
            List.of(
                Map.of("file", "/data/2024-01-31.csv"), "scheduled__2024-01-31T02:00:00+00:00"));
    assertThat(renderer.renderEnv("load", Map.of("DAY", "{{ ds }}"), ctx))
        .isEqualTo(Map.of("DAY", "2024-01-31"));
    assertThatThrownBy(() -> renderer.renderArgs("load", Map.of("wait", List.of("{{ x }}")), ctx))
        .hasMessageContaining("wait[0]");
    assertThatThrownBy(() -> renderer.renderEnv("load", Map.of("A", "{{ x }}"), ctx))
        .hasMessageContaining("env.A");
  }

  @Test
  void jinjaWhitespaceDefaults() {
    // one trailing newline dropped; a newline after a block tag kept
    assertThat(render("echo a\n")).isEqualTo("echo a");
    assertThat(render("{% if true %}\nyes{% endif %}\n\n")).isEqualTo("\nyes\n");
    // no HTML escaping in commands
    assertThat(render("{{ params.q }}", Map.of("q", "a<b & 'c'"), Map.of())).isEqualTo("a<b & 'c'");
  }

  @Test
  void strptimeRejectsMismatchAndUnknownDirectives() {
    assertThatThrownBy(() -> PyDates.strptime("2024-13-01", "%Y-%m-%d"))
        .hasMessageContaining("not a valid date");
    assertThatThrownBy(() -> PyDates.strptime("x", "%Y"))
        .hasMessageContaining("does not match format");
    assertThatThrownBy(() -> render("{{ logical_date.strftime('%U') }}"))
        .hasMessageContaining("%U");
  }
}
