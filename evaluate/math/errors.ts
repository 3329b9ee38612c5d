/**
 * Thrown when an input is malformed (NaN, infinite, empty where data is required,
 * mismatched lengths, non-positive where a ratio or logarithm needs a positive value).
 * `parameter` names the offending value, e.g. `values[3]` or `matrix[2][0]`.
 */
export class MathInputError extends Error {
  override readonly name = "MathInputError";
  readonly parameter: string;

  constructor(parameter: string, message: string) {
    super(`${parameter} ${message}`);
    this.parameter = parameter;
  }
}
