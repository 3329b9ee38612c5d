import cron from "node-cron";
import type { LastEvaluationRuns } from "../../evaluate/index.ts";

export interface EvaluationStatus extends LastEvaluationRuns {
  /** The schedule's next fire time, ISO 8601 (UTC). */
  nextRun: string | null;
  schedule: { cron: string; timezone: string };
}

/** When a cron expression fires next after now, in its time zone. */
export function nextFireTime(expression: string, timezone: string): Date | null {
  const task = cron.createTask(expression, () => {}, { timezone });
  try {
    return task.getNextRuns(1)[0] ?? null;
  } finally {
    void task.destroy();
  }
}
