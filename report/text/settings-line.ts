// One line that names a run's settings, for the terminal, the report and the error that lists other runs.
/** The settings that name a run: method, weights, aggregation, coverage threshold and sensitivity draws. */
export function settingsLine(c: Readonly<Record<string, unknown>>): string {
  const sens = (c["sensitivity"] ?? {}) as Record<string, unknown>;
  const outliers = (c["outliers"] ?? {}) as Record<string, unknown>;
  const extra = [
    c["imputation"] !== undefined && c["imputation"] !== "carry_forward" ? `imputation ${String(c["imputation"])}` : "",
    c["entropyConvention"] === "sum" ? "entropy convention sum" : "",
    outliers["winsorize"] === true ? `winsorised ${String(outliers["lower"])}-${String(outliers["upper"])}` : "",
  ].filter(Boolean);
  return [
    `method ${String(c["method"])} · weights ${String(c["weights"])} · aggregation ${String(c["aggregation"])}`,
    `coverage threshold ${String(c["coverageThreshold"] ?? "—")}`,
    ...extra,
    `draws ${String(sens["draws"] ?? "—")}`,
  ].join(" · ");
}
