// Formatting shared by the feed writers: the sample-data label, CSV lines, numbers as departments print them.

/** Every sample file says what it is, in Chinese and English. */
export const SAMPLE_LABEL_ZH = "样例数据：按公开统计校准生成，非官方统计";
export const SAMPLE_LABEL_EN = "sample data, calibrated on published statistics, not official statistics";
export const SAMPLE_LABEL = `${SAMPLE_LABEL_ZH} (${SAMPLE_LABEL_EN})`;

/** The missing-value marker departments use for "not available". */
export const MISSING = "—";

/** One generated file: its path under samples/ and its bytes. */
export interface SampleFile {
  path: string;
  bytes: Buffer;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CSV text with CRLF line ends, as spreadsheet exports on office PCs write it. */
export function csvText(rows: readonly (readonly string[])[]): string {
  return `${rows.map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
}

/** A number with fixed decimals, or the missing marker (or blank) when there is none. */
export function num(value: number | undefined, decimals: number, missing = MISSING): string {
  return value === undefined || !Number.isFinite(value) ? missing : value.toFixed(decimals);
}

/** Years 2020-2025 as the bureaus write them. */
export function yearLabel(year: number): string {
  return `${year}年`;
}
