package io.updraft.timetable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronExpressionTest {

  static LocalDateTime t(String text) {
    return LocalDateTime.parse(text);
  }

  @ParameterizedTest(name = "{0} == {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0 0 * * 0       | 0 0 * * 7",
        "0 0 * * sun     | 0 0 * * 0",
        "0 0 * * Mon-FRI | 0 0 * * 1-5",
        "0 0 1 jan,JUL * | 0 0 1 1,7 *",
        "*/15 * * * *    | 0,15,30,45 * * * *",
        "5/20 * * * *    | 5,25,45 * * * *",
        "0 8-18/5 * * *  | 0 8,13,18 * * *",
        "0 0 * * 5-7     | 0 0 * * 0,5,6",
        "0 0 * * 0-7     | 0 0 * * *",
        "@daily          | 0 0 * * *",
        "@hourly         | 0 * * * *",
        "@weekly         | 0 0 * * 0",
        "@monthly        | 0 0 1 * *",
        "@quarterly      | 0 0 1 1,4,7,10 *",
        "@yearly         | 0 0 1 1 *",
        "'  0   2 * *  * ' | 0 2 * * *",
      })
  void equivalentForms(String a, String b) {
    assertThat(CronExpression.parse(a)).isEqualTo(CronExpression.parse(b));
  }

  @Test
  void keepsTextAndExpandsPresets() {
    CronExpression daily = CronExpression.parse("@daily");
    assertThat(daily.toString()).isEqualTo("@daily");
    assertThat(daily.expression()).isEqualTo("0 0 * * *");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "61 * * * *      | minute value 61 is out of range 0-59",
        "* 24 * * *      | hour value 24 is out of range 0-23",
        "* * 0 * *       | day-of-month value 0 is out of range 1-31",
        "* * 32 * *      | day-of-month value 32 is out of range 1-31",
        "0 0 1 13 0      | month value 13 is out of range 1-12",
        "* * * * 8       | day-of-week value 8 is out of range 0-7",
        "* * * * *       | ",
        "*/0 * * * *     | minute step '0' in '*/0' is not a positive number",
        "*/x * * * *     | minute step 'x' in '*/x' is not a positive number",
        "5-1 * * * *     | minute range '5-1' runs backwards",
        "1,,2 * * * *    | minute has an empty list item",
        "0 0 * FOO *     | month value 'FOO' is not a number 1-12 or a month name JAN-DEC",
        "0 0 * * MON#2   | day-of-week value 'MON#2' uses an unsupported extension",
        "0 0 L * *       | day-of-month value 'L' uses an unsupported extension",
        "0 0 15W * *     | day-of-month value '15W' uses an unsupported extension",
        "0 0 ? * MON     | day-of-month value '?' uses an unsupported extension",
        "0 0 * * 5L      | day-of-week value '5L' uses an unsupported extension",
        "0 0 * MON *     | month value 'MON' is not a number 1-12 or a month name JAN-DEC",
        "-5 * * * *      | minute value '-5' is not a number 0-59",
        "0 0 30 2 *      | never matches: day-of-month '30' does not occur in month '2'",
        "0 0 31 4,6,9,11 * | never matches",
        "* * * *         | has 4 fields — write exactly 5",
        "0 * * * * *     | has 6 fields (a seconds field is not supported)",
        "@once           | is not a known cron preset",
        "''              | cron expression is empty",
      })
  void rejectsBadInputWithAMessageThatSaysWhatAndHow(String text, String message) {
    if (message == null) {
      assertThat(CronExpression.parse(text)).isNotNull();
      return;
    }
    assertThatThrownBy(() -> CronExpression.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .hasMessageContaining(" — ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void outOfRangeMessageHasTheShapeOfTheSpec() {
    assertThatThrownBy(() -> CronExpression.parse("61 * * * *"))
        .hasMessage(
            "cron expression '61 * * * *': minute value 61 is out of range 0-59 — use a value"
                + " between 0 and 59");
  }

  @Test
  void nullIsRejected() {
    assertThatThrownBy(() -> CronExpression.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void feb29IsValidAndFoundAcrossNonLeapCenturies() {
    CronExpression leap = CronExpression.parse("0 0 29 2 *");
    assertThat(leap.next(t("2096-03-01T00:00"))).contains(t("2104-02-29T00:00"));
    assertThat(leap.previous(t("2104-02-01T00:00"))).contains(t("2096-02-29T00:00"));
  }

  @Test
  void nextIsStrictlyAfterAndNextOrSameIsNot() {
    CronExpression hourly = CronExpression.parse("0 * * * *");
    assertThat(hourly.next(t("2024-01-01T10:00"))).contains(t("2024-01-01T11:00"));
    assertThat(hourly.nextOrSame(t("2024-01-01T10:00"))).contains(t("2024-01-01T10:00"));
    assertThat(hourly.next(t("2024-01-01T09:59:30"))).contains(t("2024-01-01T10:00"));
    assertThat(hourly.nextOrSame(t("2024-01-01T10:00:00.001"))).contains(t("2024-01-01T11:00"));
  }

  @Test
  void previousIsStrictlyBeforeAndPreviousOrSameIsNot() {
    CronExpression hourly = CronExpression.parse("0 * * * *");
    assertThat(hourly.previous(t("2024-01-01T10:00"))).contains(t("2024-01-01T09:00"));
    assertThat(hourly.previous(t("2024-01-01T10:00:30"))).contains(t("2024-01-01T10:00"));
    assertThat(hourly.previousOrSame(t("2024-01-01T10:00"))).contains(t("2024-01-01T10:00"));
    assertThat(hourly.previous(t("2024-01-01T00:00"))).contains(t("2023-12-31T23:00"));
  }

  @Test
  void rollsOverMonthsAndYears() {
    CronExpression cron = CronExpression.parse("30 4 31 * *");
    assertThat(cron.next(t("2024-04-15T00:00"))).contains(t("2024-05-31T04:30"));
    assertThat(cron.next(t("2024-12-31T04:30"))).contains(t("2025-01-31T04:30"));
    assertThat(cron.previous(t("2024-03-01T00:00"))).contains(t("2024-01-31T04:30"));
  }

  @Test
  void dayOfMonthAndDayOfWeekBothRestrictedMatchEither() {
    // The 13th, or any Friday (croniter / Vixie cron).
    CronExpression cron = CronExpression.parse("0 0 13 * FRI");
    assertThat(cron.next(t("2024-09-01T00:00"))).contains(t("2024-09-06T00:00")); // a Friday
    assertThat(cron.next(t("2024-09-12T00:00"))).contains(t("2024-09-13T00:00")); // the 13th
    assertThat(cron.matches(t("2024-09-13T00:00"))).isTrue(); // a Friday the 13th too
    assertThat(cron.matches(t("2024-09-10T00:00"))).isFalse();
  }

  @Test
  void onlyOneDayFieldRestrictedMustMatch() {
    CronExpression mondays = CronExpression.parse("0 0 * * MON");
    assertThat(mondays.next(t("2024-09-03T00:00"))).contains(t("2024-09-09T00:00"));
    CronExpression fifteenth = CronExpression.parse("0 0 15 * *");
    assertThat(fifteenth.next(t("2024-09-03T00:00"))).contains(t("2024-09-15T00:00"));
  }

  @Test
  void aFullDayOfMonthRangeStaysRestrictedNextToARestrictedDayOfWeek() {
    // croniter 2.0.4+: '1-31' with 'MON' is an OR of two restrictions, so every day matches.
    CronExpression cron = CronExpression.parse("0 0 1-31 * MON");
    assertThat(cron.next(t("2024-09-03T00:00"))).contains(t("2024-09-04T00:00"));
    // A '*' in the other field makes a full range a wildcard again.
    assertThat(CronExpression.parse("0 0 1-31 * *").next(t("2024-09-03T00:00")))
        .contains(t("2024-09-04T00:00"));
    // croniter expands '*/1' to a full list, not to '*': still an OR with MON (Vixie would AND).
    assertThat(CronExpression.parse("0 0 */1 * MON").next(t("2024-09-03T00:00")))
        .contains(t("2024-09-04T00:00"));
    assertThat(CronExpression.parse("0 0 * * MON").next(t("2024-09-03T00:00")))
        .contains(t("2024-09-09T00:00"));
  }

  @Test
  void coversEveryHour() {
    assertThat(CronExpression.parse("*/30 * * * *").coversEveryHour()).isTrue();
    assertThat(CronExpression.parse("0 0-23 * * *").coversEveryHour()).isTrue();
    assertThat(CronExpression.parse("0 * * * 1").coversEveryHour()).isTrue();
    assertThat(CronExpression.parse("0 */2 * * *").coversEveryHour()).isFalse();
    assertThat(CronExpression.parse("@daily").coversEveryHour()).isFalse();
  }

  // ---- next/previous agree with a plain minute-by-minute scan -------------------------------

  /** Crons that fire often enough that a scan of a few weeks of minutes finds the answer. */
  @Provide
  Arbitrary<String> frequentCrons() {
    Arbitrary<String> minute =
        Arbitraries.of("*", "0", "*/15", "5-10", "7,37", "59", "10/25", "0-30/10");
    Arbitrary<String> hour = Arbitraries.of("*", "0", "23", "*/6", "9-17", "3,4", "12/5");
    Arbitrary<String> dom = Arbitraries.of("*", "1", "*/2", "10-20", "28-31", "31", "1,15");
    Arbitrary<String> month = Arbitraries.of("*", "*", "*", "1-6", "*/2", "FEB,MAR,DEC");
    Arbitrary<String> dow = Arbitraries.of("*", "*", "MON", "1-5", "0,6", "7", "SAT");
    return Combinators.combine(minute, hour, dom, month, dow)
        .as((a, b, c, d, e) -> String.join(" ", a, b, c, d, e));
  }

  @Provide
  Arbitrary<LocalDateTime> times() {
    return Arbitraries.longs()
        .between(0, 40L * 365 * 24 * 60)
        .map(
            m ->
                LocalDateTime.of(2000, 1, 1, 0, 0).plusMinutes(m).plusSeconds(m % 3 == 0 ? 17 : 0));
  }

  private static final int SCAN_MINUTES = 120 * 24 * 60;

  @Property(tries = 300)
  void nextAgreesWithAMinuteScan(
      @ForAll("frequentCrons") String text, @ForAll("times") LocalDateTime from) {
    CronExpression cron = CronExpression.parse(text);
    Optional<LocalDateTime> expected = Optional.empty();
    LocalDateTime m = from.withSecond(0).withNano(0).plusMinutes(1);
    for (int i = 0; i < SCAN_MINUTES; i++, m = m.plusMinutes(1)) {
      if (cron.matches(m)) {
        expected = Optional.of(m);
        break;
      }
    }
    Optional<LocalDateTime> actual = cron.next(from);
    assertThat(actual).isPresent();
    if (expected.isPresent()) {
      assertThat(actual).isEqualTo(expected);
    } else {
      assertThat(actual.get()).isAfter(from.plusMinutes(SCAN_MINUTES - 1));
    }
  }

  @Property(tries = 300)
  void previousAgreesWithAMinuteScan(
      @ForAll("frequentCrons") String text, @ForAll("times") LocalDateTime from) {
    CronExpression cron = CronExpression.parse(text);
    Optional<LocalDateTime> expected = Optional.empty();
    LocalDateTime m = from.withSecond(0).withNano(0);
    if (m.equals(from)) {
      m = m.minusMinutes(1);
    }
    for (int i = 0; i < SCAN_MINUTES; i++, m = m.minusMinutes(1)) {
      if (cron.matches(m)) {
        expected = Optional.of(m);
        break;
      }
    }
    Optional<LocalDateTime> actual = cron.previous(from);
    assertThat(actual).isPresent();
    if (expected.isPresent()) {
      assertThat(actual).isEqualTo(expected);
    } else {
      assertThat(actual.get()).isBefore(from.minusMinutes(SCAN_MINUTES - 1));
    }
  }
}
