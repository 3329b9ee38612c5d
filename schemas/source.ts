import { z } from "zod";

/** A feed id: lower-case, digits and dashes; it becomes part of a topic name. */
export const FeedId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,62}$/, "a feed id is lower-case letters, digits and dashes, starting with a letter");
export type FeedId = z.infer<typeof FeedId>;

/** Where in its source a record was: a line of a text file, a sheet and row of a workbook, or a response offset. */
export const SourcePosition = z
  .object({
    line: z.int().positive().optional(),
    sheet: z.string().optional(),
    row: z.int().positive().optional(),
    offset: z.int().nonnegative().optional(),
    column: z.string().optional(),
  })
  .strict();
export type SourcePosition = z.infer<typeof SourcePosition>;

export const SourceRef = z.object({
  feed: FeedId,
  /** The file path relative to the drop folder, or the URL of the response. */
  uri: z.string().min(1),
  position: SourcePosition,
});
export type SourceRef = z.infer<typeof SourceRef>;

/** "line 12", "sheet 2021 row 5": how people read a position in messages. */
export function formatPosition(position: SourcePosition): string {
  const parts: string[] = [];
  if (position.sheet !== undefined) parts.push(`sheet ${position.sheet}`);
  if (position.row !== undefined) parts.push(`row ${position.row}`);
  if (position.line !== undefined) parts.push(`line ${position.line}`);
  if (position.offset !== undefined) parts.push(`offset ${position.offset}`);
  if (position.column !== undefined) parts.push(`column ${position.column}`);
  return parts.join(" ") || "whole source";
}
