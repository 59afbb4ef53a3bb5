import { type CronExpression, CronExpressionParser } from "cron-parser";

export type ScheduleCheck =
  | { ok: true }
  | { ok: false; reason: "invalid"; detail: string }
  | { ok: false; reason: "too-frequent"; gapMinutes: number };

const cronFieldNames = "minute hour day-of-month month day-of-week";
const millisecondsPerDay = 24 * 60 * 60_000;
// Fixed so that a schedule's verdict never depends on the day it is checked.
const referenceStart = Date.UTC(2024, 0, 1);
// A leap-year cycle: long enough for any day-of-month / month / day-of-week combination that
// ever puts two scheduled days side by side to do so at least once.
const dayAdjacencySearchDays = 4 * 366;

/**
 * Checks a 5-field cron expression (UTC) and that no two of its runs are closer than
 * `minimumGapMinutes` (at most a day).
 *
 * The gap is worked out from the minute and hour sets rather than by listing runs: every scheduled
 * hour fires the same minutes, so the closest runs are either within one hour or straddle two
 * scheduled hours that are next to each other (on the same day, or the last and first hours of two
 * consecutive scheduled days). Listing a day's worth of runs one by one with cron-parser costs tens
 * of milliseconds per schedule; this costs microseconds, and a few milliseconds in the rare case
 * where only the midnight crossing could be too close.
 */
export function checkSchedule(expression: string, minimumGapMinutes: number): ScheduleCheck {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return {
      ok: false,
      reason: "invalid",
      detail: `expected 5 fields (${cronFieldNames}), got ${fields.length}`,
    };
  }

  let parsed: CronExpression;
  let minutes: number[];
  let hours: number[];
  try {
    parsed = CronExpressionParser.parse(expression, {
      tz: "UTC",
      currentDate: referenceStart - 1,
    });
    // Throws for expressions that parse but never fire, such as 30 February.
    parsed.next();
    minutes = [...parsed.fields.minute.values].sort((a, b) => a - b);
    hours = [...parsed.fields.hour.values].sort((a, b) => a - b);
  } catch (error) {
    return { ok: false, reason: "invalid", detail: (error as Error).message };
  }

  const firstMinute = minutes[0] ?? 0;
  const lastMinute = minutes[minutes.length - 1] ?? 0;
  const firstHour = hours[0] ?? 0;
  const lastHour = hours[hours.length - 1] ?? 0;
  const hourChangeGap = (hourGap: number) => hourGap * 60 + firstMinute - lastMinute;

  let smallestGap = Math.min(smallestStep(minutes), hourChangeGap(smallestStep(hours)));
  const midnightGap = hourChangeGap(24 - lastHour + firstHour);
  if (midnightGap < smallestGap && midnightGap < minimumGapMinutes) {
    const lastRun = { hour: lastHour, minute: lastMinute };
    const firstRun = { hour: firstHour, minute: firstMinute };
    if (runsAcrossMidnight(parsed, lastRun, firstRun)) smallestGap = midnightGap;
  }

  if (smallestGap < minimumGapMinutes) {
    return { ok: false, reason: "too-frequent", gapMinutes: smallestGap };
  }
  return { ok: true };
}

/** Infinity for a single value: it never follows itself within the hour or day. */
function smallestStep(sortedValues: readonly number[]): number {
  let smallest = Number.POSITIVE_INFINITY;
  for (let index = 1; index < sortedValues.length; index++) {
    smallest = Math.min(smallest, (sortedValues[index] ?? 0) - (sortedValues[index - 1] ?? 0));
  }
  return smallest;
}

/** Whether some scheduled day's last run is followed by a run in the first hour of the next day. */
function runsAcrossMidnight(
  schedule: CronExpression,
  lastRun: { hour: number; minute: number },
  firstRun: { hour: number; minute: number },
): boolean {
  for (let day = 0; day < dayAdjacencySearchDays; day++) {
    const dayStart = referenceStart + day * millisecondsPerDay;
    const last = dayStart + (lastRun.hour * 60 + lastRun.minute) * 60_000;
    const first = dayStart + millisecondsPerDay + (firstRun.hour * 60 + firstRun.minute) * 60_000;
    if (schedule.includesDate(new Date(last)) && schedule.includesDate(new Date(first))) {
      return true;
    }
  }
  return false;
}
