package io.updraft.worker.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.timetable.DataInterval;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Expressions rendered through {@link TemplateRenderer} against what Airflow's Jinja prints for
 * them. Where each expected value comes from is said above its rows:
 *
 * <ul>
 *   <li>[J-doc] Jinja's template documentation, "List of Builtin Filters"
 *       (jinja.palletsprojects.com/en/stable/templates/#builtin-filters), whose examples are
 *       quoted;
 *   <li>[J-test] Jinja's own filter tests (pallets/jinja, tests/test_filters.py);
 *   <li>[J-src] Jinja's filter code (src/jinja2/filters.py) with Python's semantics of the call it
 *       makes (e.g. {@code do_int} is {@code int(value, base)}, else {@code int(float(value))});
 *   <li>[Py] Python's {@code str()} of the value, which is what Jinja prints ({@code None}, {@code
 *       True}, {@code 2.5}, {@code str(timedelta)}), and Python's operators (Jinja's {@code /} is
 *       true division, {@code //} floor division);
 *   <li>[AF] Airflow's templates reference (airflow.apache.org/docs/apache-airflow/2.10.1/
 *       templates-ref.html): context names, {@code macros.datetime} / {@code macros.timedelta} are
 *       Python's, {@code prev_*_success} are None without a prior successful run;
 *   <li>[pendulum] Airflow 2.10 installs pendulum 3, whose {@code str()} of a DateTime separates
 *       date and time with a space (python-pendulum/pendulum#822: {@code 2024-05-08 12:19:59...});
 *   <li>[0049] our decision 0049: maps and lists print as JSON, where Jinja prints Python's repr.
 * </ul>
 */
class JinjaFidelityTest {

  static final Instant LOGICAL = Instant.parse("2024-01-01T00:00:00Z");

  final TemplateRenderer renderer = new TemplateRenderer();

  Map<String, Object> context(PreviousSuccess prev) {
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("table", "orders");
    conf.put("ids", List.of(3, 1, 2));
    conf.put("empty", List.of());
    conf.put("nothing", null);
    conf.put("flag", false);
    conf.put(
        "users",
        List.of(Map.of("username", "foo", "age", 30), Map.of("username", "bar", "age", 20)));
    return TemplateContext.of(
        new TryContext(
            "orders",
            "load",
            "shell",
            "data-eng",
            "scheduled__2024-01-01T00:00:00+00:00",
            LOGICAL,
            new DataInterval(LOGICAL, Instant.parse("2024-01-02T00:00:00Z")),
            Map.of(),
            conf,
            1,
            null,
            Map.of(),
            Map.of(),
            prev));
  }

  String render(String template) {
    return render(template, PreviousSuccess.none());
  }

  String render(String template, PreviousSuccess prev) {
    return renderer.render("load", "command", template, context(prev));
  }

  @ParameterizedTest(name = "{0} => {1}")
  @CsvSource(
      delimiterString = "=>",
      quoteCharacter = '`',
      value = {
        // --- how values print [Py] ---
        "{{ none }}                                => None",
        "{{ None }}                                => None",
        "{{ dag_run.conf.nothing }}                => None",
        "{{ true }} {{ False }}                    => True False",
        "{{ 1 == 1 }}                              => True",
        "{{ 3 }} {{ 3.0 }} {{ 2.50 }}              => 3 3.0 2.5",
        "{{ 10 / 4 }} {{ 10 / 5 }}                 => 2.5 2.0",
        "{{ 7 // 2 }} {{ -7 // 2 }} {{ 7.0 // 2 }} => 3 -4 3.0",
        "{{ -7 % 3 }} {{ 2 ** 10 }} {{ 2 ** -1 }}  => 2 1024 0.5",
        "{{ 0.1 + 0.2 }}                           => 0.30000000000000004",
        "{{ 10000000.0 }} {{ 0.0001 }}             => 10000000.0 0.0001",
        "{{ 12345678901 * 1000000000 }}            => 12345678901000000000",
        "{{ 'a' ~ none ~ true ~ 1.0 }}             => aNoneTrue1.0",
        "{{ 'ab' * 3 }}                            => ababab",
        // --- dates [pendulum] [AF]: ts is isoformat with a T, str() has a space ---
        "{{ logical_date }}                        => 2024-01-01 00:00:00+00:00",
        "{{ ts }}                                  => 2024-01-01T00:00:00+00:00",
        "{{ data_interval_end }}                   => 2024-01-02 00:00:00+00:00",
        "{{ logical_date.isoformat() }}            => 2024-01-01T00:00:00+00:00",
        // --- maps and lists [0049] (Jinja: {'table': 'orders'} and [3, 1, 2]) ---
        "{{ dag_run.conf.ids }}                    => [3, 1, 2]",
        "{{ {'a': none, 'b': true} }}              => `{\"a\": null, \"b\": true}`",
        "{{ dag_run.conf.ids | string }}           => [3, 1, 2]",
        // --- replace(old, new, count) [J-doc] ---
        "{{ 'Hello World' | replace('Hello', 'Goodbye') }} => Goodbye World",
        "{{ 'aaaaargh' | replace('a', \"d'oh, \", 2) }}    => `d'oh, d'oh, aaargh`",
        "{{ '<foo>' | replace('o', 42) }}                  => <f4242>", // [J-test]
        "{{ ds | replace('-', '') }}                       => 20240101",
        "{{ 'abc' | replace('', '-') }}                    => -a-b-c-", // [Py] str.replace
        // --- upper, lower [J-test]; soft_str makes None 'None' [J-src] ---
        "{{ 'foo' | upper }} {{ 'FOO' | lower }}   => FOO foo",
        "{{ none | upper }} {{ 42 | lower }}       => NONE 42",
        // --- default(default_value='', boolean=false), alias d [J-doc] [J-test] ---
        "{{ missing | default('no') }}|{{ false | default('no') }}|{{ false | default('no', true) }}|{{ ds | default('no') }} => no|False|no|2024-01-01",
        "{{ '' | default('the string was empty', true) }} => the string was empty",
        "{{ dag_run.conf.nothing | default('x') }}        => None",
        "{{ dag_run.conf.nothing | default('x', boolean=true) }} => x",
        "{{ params.missing | d('fallback') }}             => fallback",
        "[{{ missing | default }}]                        => []",
        // --- join(d='', attribute=None) [J-doc] [J-test] ---
        "{{ [1, 2, 3] | join('|') }}               => 1|2|3",
        "{{ [1, 2, 3] | join }}                    => 123",
        "{{ dag_run.conf.users | join(', ', attribute='username') }} => foo, bar",
        "{{ [none, true, 1.5] | join(',') }}       => None,True,1.5",
        // --- tojson [J-src] htmlsafe_json_dumps: sorted keys, <>&' escaped ---
        "{{ {'b': 1, 'a': '<x>'} | tojson }}       => `{\"a\": \"\\u003cx\\u003e\", \"b\": 1}`",
        // --- int(default=0, base=10) [J-test] ---
        "{{ '42' | int }} {{ 'abc' | int }} {{ '32.32' | int }} => 42 0 32",
        "{{ '12345678901234567890' | int }}        => 12345678901234567890",
        "{{ '1e10000' | int }}                     => 0",
        "{{ '0x4d32' | int(base=16) }} {{ '011' | int(base=8) }} {{ '0x33Z' | int(base=16) }} => 19762 9 0",
        "{{ 'abc' | int(default=1) }} {{ '3.7' | int }} {{ 3.9 | int }} {{ -3.9 | int }} => 1 3 3 -3",
        "{{ ' 4_2 ' | int }} {{ none | int }} {{ true | int }} => 42 0 1", // [Py] int()
        // --- float(default=0.0) [J-test] ---
        "{{ '42' | float }} {{ 'abc' | float }} {{ '32.32' | float }} => 42.0 0.0 32.32",
        "{{ 'abc' | float(default=1.0) }} {{ 5 | float }} => 1.0 5.0",
        // --- string, trim [J-test] ---
        "{{ none | string }} {{ 3.0 | string }}    => None 3.0",
        "[{{ '  ..stays..' | trim }}]              => [..stays..]",
        "[{{ '  ..stays..' | trim('.') }}]         => `[  ..stays]`",
        "[{{ '  ..stays..' | trim(' .') }}]        => [stays]",
        // --- title, capitalize, wordcount [J-test] ---
        "{{ 'foo bar' | capitalize }} {{ 'fOO BAR' | capitalize }} => Foo bar Foo bar",
        "{{ \"foo's bar\" | title }}               => Foo's Bar",
        "{{ 'FOO-bar (baz)' | title }}             => Foo-Bar (Baz)",
        "{{ 'foo bar baz' | wordcount }}           => 3",
        // --- round(precision=0, method='common') [J-doc] [J-test] ---
        "{{ 42.55 | round }} {{ 42.55 | round(1, 'floor') }} {{ 42.55 | round | int }} => 43.0 42.5 43",
        "{{ 2.7 | round }}|{{ 2.1 | round }}|{{ 2.1234 | round(3, 'floor') }}|{{ 2.1 | round(0, 'ceil') }} => 3.0|2.0|2.123|3.0",
        "{{ 21.3 | round(-1) }}|{{ 21.3 | round(-1, 'ceil') }}|{{ 21.3 | round(-1, 'floor') }} => 20.0|30.0|20.0",
        "{{ 2.5 | round }} {{ 42 | round }}        => 2.0 42", // [Py] round() halves to even
        // --- sequences: first, last, length, list, sort, unique, abs [J-test] ---
        "{{ [0, 1, 9] | first }} {{ [0, 1, 9] | last }} {{ 'hello world' | length }} => 0 9 11",
        "{{ dag_run.conf.empty | first | default('none left') }} => none left",
        "{{ 'abc' | list }}                        => `[\"a\", \"b\", \"c\"]`",
        "{{ [2, 3, 1] | sort }}|{{ [2, 3, 1] | sort(true) }} => [1, 2, 3]|[3, 2, 1]",
        "{{ ['foo', 'Bar', 'blah'] | sort }}       => `[\"Bar\", \"blah\", \"foo\"]`",
        "{{ ['c', 'A', 'b', 'D'] | sort | join }}  => AbcD",
        "{{ dag_run.conf.users | sort(attribute='age') | join(',', attribute='username') }} => bar,foo",
        "{{ ['b', 'A', 'a', 'b'] | unique | join }} {{ ['b', 'A', 'a', 'b'] | unique(true) | join }} => bA bAa",
        "{{ dag_run.conf.ids | sort }} {{ dag_run.conf.ids }} => [1, 2, 3] [3, 1, 2]",
        "{{ -1 | abs }}|{{ 1 | abs }}              => 1|1",
        // --- conditions take Python's truth [Py] ---
        "{% if dag_run.conf.nothing %}y{% else %}n{% endif %} => n",
        "{% if dag_run.conf.empty %}y{% else %}n{% endif %}   => n",
        "{% if dag_run.conf.ids %}y{% else %}n{% endif %}     => y",
        // --- and / or give the deciding operand, not binds looser than == [Py] ---
        "{{ dag_run.conf.table or 'x' }} {{ dag_run.conf.nothing or 'x' }} => orders x",
        "{{ dag_run.conf.nothing and 1 }} {{ 1 and 'b' }}                 => None b",
        "{{ not none }} {{ not 1 == 2 }} {{ not true and false }}          => True True False",
        "{% if not dag_run.conf.empty and dag_run.conf.table %}y{% endif %} => y",
        // --- ordering [Py]: numbers, strings, dates, timedeltas ---
        "{{ 2 >= 2.0 }} {{ 'a' < 'b' }} {{ 1 > 2 }}                => True True False",
        "{{ logical_date < data_interval_end }} {{ macros.timedelta(hours=1) > macros.timedelta(days=1) }} => True False",
        // --- dict methods [Py]: Airflow's usual dag_run.conf.get('k', 'default') ---
        "{{ dag_run.conf.get('table', 'x') }} {{ dag_run.conf.get('nope', 'x') }} {{ dag_run.conf.get('nope') }} => orders x None",
        "{{ dag_run.conf.keys() | join(',') }}     => table,ids,empty,nothing,flag,users",
        // --- macros [AF]: ds_add, ds_format; datetime and timedelta are Python's [Py] ---
        "{{ macros.ds_add('2015-01-06', -5) }}     => 2015-01-01",
        "{{ macros.ds_format('2015-01-05', '%Y-%m-%d', '%m-%d-%y') }} => 01-05-15",
        "{{ macros.datetime(2024, 1, 1) }}         => 2024-01-01 00:00:00",
        "{{ macros.datetime(2024, 2, 29, 13, 5) }} => 2024-02-29 13:05:00",
        "{{ macros.timedelta(days=1) }}            => 1 day, 0:00:00",
        "{{ macros.timedelta(days=2, hours=3) }}   => 2 days, 3:00:00",
        "{{ macros.timedelta(hours=-1) }}          => -1 day, 23:00:00",
        "{{ macros.timedelta(seconds=1.5) }}       => 0:00:01.500000",
        "{{ macros.timedelta(1, 30) }}             => 1 day, 0:00:30",
        "{{ macros.timedelta(weeks=1).days }} {{ macros.timedelta(minutes=90).total_seconds() }} => 7 5400.0",
        "{{ logical_date + macros.timedelta(days=1) }}  => 2024-01-02 00:00:00+00:00",
        "{{ logical_date - macros.timedelta(hours=1) }} => 2023-12-31 23:00:00+00:00",
        "{{ (logical_date - macros.timedelta(days=1)).strftime('%Y%m%d') }} => 20231231",
        "{{ data_interval_end - data_interval_start }}  => 1 day, 0:00:00",
        "{{ macros.datetime(2024, 3, 1) - macros.datetime(2024, 2, 1) }} => 29 days, 0:00:00",
        "{{ macros.timedelta(days=1) * 3 + macros.timedelta(hours=1) }}   => 3 days, 1:00:00",
        // pendulum's add / subtract and datetime's replace, with named arguments
        "{{ logical_date.add(months=1, days=2) }}  => 2024-02-03 00:00:00+00:00",
        "{{ data_interval_end.subtract(days=1) }}  => 2024-01-01 00:00:00+00:00",
        "{{ logical_date.replace(day=15) }}        => 2024-01-15 00:00:00+00:00",
        // --- prev_*_success [AF]: None when no earlier run succeeded ---
        "{{ prev_data_interval_start_success }} {{ prev_data_interval_end_success }} {{ prev_start_date_success }} => None None None",
        "{{ prev_start_date_success | default('never', true) }} => never",
      })
  void rendersAsAirflowsJinja(String template, String expected) {
    assertThat(render(template)).isEqualTo(expected == null ? "" : expected);
  }

  @Test
  void previousSuccessfulRunPrintsAsPendulumDates() {
    PreviousSuccess prev =
        new PreviousSuccess(
            Instant.parse("2023-12-31T00:00:00Z"),
            Instant.parse("2024-01-01T00:00:00Z"),
            Instant.parse("2024-01-01T00:05:03.250Z"));
    assertThat(render("{{ prev_data_interval_start_success }}", prev))
        .isEqualTo("2023-12-31 00:00:00+00:00");
    assertThat(render("{{ prev_data_interval_end_success.isoformat() }}", prev))
        .isEqualTo("2024-01-01T00:00:00+00:00");
    assertThat(render("{{ prev_start_date_success }}", prev))
        .isEqualTo("2024-01-01 00:05:03.250000+00:00");
    assertThat(render("{{ data_interval_start - prev_data_interval_start_success }}", prev))
        .isEqualTo("1 day, 0:00:00");
  }

  /** Python refuses these, with these messages; so do we, in one line naming the task. */
  @Test
  void pythonErrorsStayErrors() {
    assertThatThrownBy(() -> render("{{ logical_date - macros.datetime(2024, 1, 1) }}"))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessageContaining("task 'load'")
        .hasMessageContaining("can't subtract offset-naive and offset-aware datetimes");
    assertThatThrownBy(() -> render("{{ 1 / 0 }}")).hasMessageContaining("division by zero");
    // Python: 'NoneType' object has no attribute 'isoformat'; Pebble called it an unknown name
    assertThatThrownBy(() -> render("{{ prev_start_date_success.isoformat() }}"))
        .hasMessageContaining("'prev_start_date_success' is None here");
    assertThatThrownBy(() -> render("{{ none < 1 }}"))
        .hasMessageContaining("'<' is not supported between None and int");
    assertThatThrownBy(() -> render("{{ macros.datetime(2024, 2, 30) }}"))
        .hasMessageContaining("macros.datetime()");
    assertThatThrownBy(() -> render("{{ macros.timedelta(day=1) }}"))
        .hasMessageContaining("no argument 'day'");
    // Undefined names: Airflow's StrictUndefined fails the render; so does an empty first
    assertThatThrownBy(() -> render("{{ nope | upper }}"))
        .hasMessageContaining("unknown variable 'nope'");
    assertThatThrownBy(() -> render("{{ dag_run.conf.empty | first }}"))
        .hasMessageContaining("no first item");
    // Pebble's replace took a map; Jinja's takes (old, new[, count])
    assertThatThrownBy(() -> render("{{ ds | replace({'-': ''}) }}"))
        .hasMessageContaining("replace takes (old, new[, count])");
  }

  @Test
  void sortAndUniqueLeaveTheirInputAlone() {
    List<Object> ids = Arrays.asList(3, 1, 2);
    Map<String, Object> ctx = context(PreviousSuccess.none());
    ctx.put("xs", ids);
    assertThat(renderer.render("t", "k", "{{ xs | sort }}{{ xs }}", ctx))
        .isEqualTo("[1, 2, 3][3, 1, 2]");
    assertThat(ids).containsExactly(3, 1, 2);
  }
}
