package io.updraft.timetable;

/** A 5-field cron expression (minute hour day-of-month month day-of-week). */
public final class CronExpression {
  private final String text;

  private CronExpression(String text) {
    this.text = text;
  }

  /**
   * Parses a 5-field cron expression.
   *
   * @throws IllegalArgumentException with a message that says what is wrong and how to fix it
   */
  public static CronExpression parse(String text) {
    // TODO(foundation): the real parser (ranges, steps, lists, names) and evaluation.
    if (text == null || text.trim().split("\\s+").length != 5) {
      throw new IllegalArgumentException(
          "cron expression '"
              + text
              + "' must have 5 fields: minute hour day-of-month month day-of-week");
    }
    return new CronExpression(text.trim());
  }

  @Override
  public String toString() {
    return text;
  }
}
