import { mulberry32 } from "../../evaluate/index.ts";

/** The kill points and corpus cases of a run are fixed by its seed, so a failure reproduces. */
export const seededRandom = mulberry32;
