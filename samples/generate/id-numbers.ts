// Made-up identifiers shaped like real ones, so that pseudonymisation and the privacy tests handle what a department
// really sends. None belongs to a real person or entity: the sequences are the generator's own.

/** An 18-character ID-card number: county, birth date (YYYYMMDD), sequence, check character (GB 11643 rule). */
export function idCard(county: string, birth: string, seq: number): string {
  const body = `${county}${birth}${String(seq % 1000).padStart(3, "0")}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return body + "10X98765432"[sum % 11]!;
}

/** The 31 characters of a unified social credit code (GB 32100: digits and capitals without I, O, S, V, Z). */
const USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * An 18-character unified social credit code (统一社会信用代码): 9 (registered by market regulation), the entity
 * type (1 enterprise, 2 individual business, 3 farmer cooperative), the county, a 9-character body from `seq`, and
 * the GB 32100 check character.
 */
export function creditCode(typeDigit: 1 | 2 | 3, county: string, seq: number): string {
  let body = "";
  for (let n = seq, k = 0; k < 9; k++, n = Math.floor(n / 31)) body = USCC_CHARS[n % 31]! + body;
  const first17 = `9${typeDigit}${county}${body}`;
  const sum = [...first17].reduce((s, ch, i) => s + USCC_CHARS.indexOf(ch) * USCC_WEIGHTS[i]!, 0);
  return first17 + USCC_CHARS[(31 - (sum % 31)) % 31]!;
}
