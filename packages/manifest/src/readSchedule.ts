import type { Located, NodeReader } from "./nodeReader";
import { checkSchedule } from "./schedule";

export function readSchedule(
  reader: NodeReader,
  at: Located | undefined,
  rule: { minimumGapMinutes: number; appliesTo: string },
): string | undefined {
  const schedule = reader.string(at, { nonEmpty: true });
  if (schedule === undefined || at === undefined) return undefined;
  const check = checkSchedule(schedule, rule.minimumGapMinutes);
  if (check.ok) return schedule;
  if (check.reason === "invalid") {
    reader.error(
      "invalid-schedule",
      `schedule ${JSON.stringify(schedule)} is not a valid cron expression: ${check.detail}`,
      at,
    );
  } else {
    reader.error(
      "schedule-too-frequent",
      `schedule ${JSON.stringify(schedule)} has runs ${check.gapMinutes} minutes apart; ` +
        `${rule.appliesTo} must run at least ${rule.minimumGapMinutes} minutes apart`,
      at,
    );
  }
  return undefined;
}
