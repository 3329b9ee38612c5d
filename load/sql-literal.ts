/** A string literal for SQL, quotes doubled: the one way text reaches a statement the loader builds. */
export const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;
