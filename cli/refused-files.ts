import type { FeedRunStats } from "../ingest/index.ts";

/**
 * Fails the command (exit 1) when a source was refused whole, a file moved to failed/ or a response unusable, so
 * cron and Kubernetes CronJobs see it; the other sources were still produced. Says which feeds, on stderr.
 */
export function failOnRefusedSources(stats: readonly FeedRunStats[]): void {
  const refused = stats.filter((s) => s.failedFiles > 0);
  if (refused.length === 0) return;
  const total = refused.reduce((n, s) => n + s.failedFiles, 0);
  const which = refused.map((s) => `${s.feed}: ${s.failedFiles}`).join(", ");
  process.stderr.write(
    `gongfu: ${total} source(s) refused whole (${which}) — the reasons are beside the ` +
      `files in <inbox>/<feed>/failed/ and in gongfu status\n`,
  );
  process.exitCode = 1;
}
