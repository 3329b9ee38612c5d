import type { CorpusCase } from "./case.ts";
import { FILE_CASES } from "./file-cases.ts";
import { HTTP_CASES } from "./http-cases.ts";
import { JSON_CASES } from "./json-cases.ts";
import { TEXT_CASES } from "./text-cases.ts";
import { xlsxCases } from "./xlsx-cases.ts";

/** The hand-made half of the corpus: structural damage, file and path tricks, HTTP misbehaviour; ids are `h-<group>-<n>`. */
export async function handMadeCases(): Promise<CorpusCase[]> {
  const groups = { text: TEXT_CASES, json: JSON_CASES, xlsx: await xlsxCases(), file: FILE_CASES, http: HTTP_CASES };
  return Object.entries(groups).flatMap(([group, makers]) => makers.map((make, i) => make(`h-${group}-${i}`)));
}
