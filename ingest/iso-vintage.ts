/** A vintage as ISO 8601, or undefined for an empty or unreadable one (the source's publication time is used). */
export function toIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
