/**
 * kafkajs 2.2 computes a negative timeout in its request queue on current Node versions
 * (TimeoutNegativeWarning, harmless: Node clamps it to 1 ms). Hide only that one warning.
 * bus/kafkajs.ts, the only way the code reaches kafkajs, patches the request queue so it arms that timer only with
 * a request pending, and never with a negative delay: the warning no longer comes from kafkajs, and this filter can go.
 */
export function quietKnownWarnings(): void {
  const original = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const name =
      typeof warning === "string"
        ? typeof rest[0] === "string"
          ? rest[0]
          : (rest[0] as { type?: string } | undefined)?.type
        : warning.name;
    if (name === "TimeoutNegativeWarning") return;
    (original as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}
