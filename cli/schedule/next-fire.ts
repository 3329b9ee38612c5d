// When a cron expression next fires after an instant, so missed monthly runs can be listed (node-cron never catches up).
import cron from "node-cron";
import { ConfigError } from "../../runtime/errors.ts";
import { instantOf, wallTime } from "./zoned-time.ts";

export interface CronCalendar {
  /** The first firing strictly after `after`. */
  nextFireAfter(after: Date): Date;
  close(): void;
}

const MAX_DAYS = 366 * 5;

/** The expression's calendar in a time zone; node-cron's own matcher decides each day (so L, W and # work too). */
export function createCronCalendar(expression: string, timeZone: string): CronCalendar {
  if (!cron.validate(expression))
    throw new ConfigError(`not a valid cron expression: ${JSON.stringify(expression)}`, {
      hint: "five or six fields, e.g. 0 2 1 * * (02:00 on the 1st)",
    });
  const fields = cron.parse(expression);
  const task = cron.createTask(expression, () => undefined, { timezone: timeZone, name: `calendar ${expression}` });
  const times: [number, number, number][] = [];
  for (const h of [...fields.hour].sort((a, b) => a - b))
    for (const m of [...fields.minute].sort((a, b) => a - b))
      for (const s of [...fields.second].sort((a, b) => a - b)) times.push([h, m, s]);
  return {
    nextFireAfter(after) {
      const start = wallTime(after, timeZone);
      const day = new Date(Date.UTC(start.year, start.month - 1, start.day));
      for (let i = 0; i < MAX_DAYS; i++, day.setUTCDate(day.getUTCDate() + 1)) {
        const [year, month, date] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
        if (!fields.month.includes(month)) continue;
        for (const [hour, minute, second] of times) {
          const at = instantOf({ year, month, day: date, hour, minute, second }, timeZone);
          if (at.getTime() <= after.getTime()) continue;
          // Time fields match by construction, so a miss means the day (or a DST gap) does not match.
          if (task.match(at)) return at;
          break;
        }
      }
      throw new ConfigError(`cron expression ${expression} never fires within ${MAX_DAYS} days`);
    },
    close: () => void task.destroy(),
  };
}
