// The layering gongfu keeps (README "Layout"): the four stages never import each other, they talk through the bus;
// the shared layers (schemas, bus, runtime) never import a stage; report/ presents what the stages made, through their
// doors; the command line, the benchmarks, the sample data and the tests sit on top and nothing below imports them.
// `npm run lint:deps` checks it, and CI runs that. Known violations still to be mended would live in
// .dependency-cruiser-known-violations.json (empty now): a new one fails.
// It parses with swc: dependency-cruiser cannot use TypeScript 7's compiler API yet, and says so in a warning
// ("missing-tsc-transpiler") that is harmless here, since swc reads every .ts file.
const STAGES = "^(ingest|transform|load|evaluate)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "stage-imports-stage",
      comment: "A stage talks to the next only through the bus, never by importing its internals.",
      severity: "error",
      from: { path: "^(ingest|transform|load|evaluate)/" },
      to: { path: STAGES, pathNot: ["^$1/"] },
    },
    {
      name: "shared-layer-imports-stage",
      comment: "schemas/, bus/ and runtime/ are below every stage: they never import one, nor anything above them.",
      severity: "error",
      from: { path: "^(schemas|bus|runtime)/" },
      to: { path: "^(ingest|transform|load|evaluate|report|cli|bench|samples|test|scripts)/" },
    },
    {
      name: "stage-imports-report",
      comment: "report/ presents what evaluate computed and sits above the stages: no stage imports it.",
      severity: "error",
      from: { path: STAGES },
      to: { path: "^report/" },
    },
    {
      name: "report-past-a-door",
      comment:
        "report/ reads the warehouse and evaluate's results through their doors (load/index.ts, evaluate/index.ts), " +
        "never their internals; ingest and transform have nothing it needs.",
      severity: "error",
      from: { path: "^report/" },
      to: { path: STAGES, pathNot: "^(load|evaluate)/index\\.ts$" },
    },
    {
      name: "report-internals",
      comment: "Outside report/ (and its tests), only its door report/index.ts is imported.",
      severity: "error",
      from: { path: "^", pathNot: "^(report|test)/" },
      to: { path: "^report/", pathNot: "^report/index\\.ts$" },
    },
    {
      name: "schemas-imports-bus",
      comment: "schemas/ is the contract every layer shares; it depends on runtime/ at most.",
      severity: "error",
      from: { path: "^schemas/" },
      to: { path: "^bus/" },
    },
    {
      name: "imports-cli",
      comment: "cli/ is the top: only its own files and the tests reach into it.",
      severity: "error",
      from: { pathNot: "^(cli|test)/" },
      to: { path: "^cli/" },
    },
    {
      name: "cli-runs-sql",
      comment:
        "The command line parses flags, calls a stage's door and prints: it runs no SQL. It may name the type of a " +
        "connection a door hands it, but only the stages (and report/, which reads) load DuckDB.",
      severity: "error",
      from: { path: "^cli/" },
      to: { path: "(^|/)node_modules/@duckdb/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "imports-bench",
      comment: "The benchmarks are a tool of their own; nothing that ships depends on them.",
      severity: "error",
      from: { pathNot: "^(bench|test)/" },
      to: { path: "^bench/" },
    },
    {
      name: "imports-samples",
      comment:
        "Sample data is for tests, benchmarks and the sample generator; the product reads its files, never imports it.",
      severity: "error",
      from: { pathNot: "^(samples|test|bench|scripts)/" },
      to: { path: "^samples/" },
    },
    {
      name: "imports-test",
      comment: "Test helpers never leak into the product.",
      severity: "error",
      from: { pathNot: "^test/" },
      to: { path: "^test/" },
    },
    {
      name: "score-imports-compare",
      comment: "evaluate/compare builds on evaluate/score (rankings read level matrices), never the other way round.",
      severity: "error",
      from: { path: "^evaluate/score/" },
      to: { path: "^evaluate/compare/" },
    },
    {
      name: "kafkajs-through-bus",
      comment:
        "bus/kafkajs.ts patches kafkajs before loading it and re-exports what the code uses: importing kafkajs " +
        "(or a file inside it) anywhere else could load it unpatched. Type-only imports count too (dependency-cruiser " +
        "tells them apart, as type-only, but one door keeps the version pin and the patched API in one place).",
      severity: "error",
      from: { pathNot: "^bus/kafkajs\\.ts$" },
      to: { path: "(^|/)node_modules/kafkajs/" },
    },
    {
      name: "no-circular",
      comment: "An import cycle means two modules are one; merge them or move what they share below both.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "product-imports-dev-dependency",
      comment: "What ships must run with production dependencies alone.",
      severity: "error",
      from: { pathNot: "^(test|bench|scripts)/|^vitest\\.config\\.ts$" },
      to: { dependencyTypes: ["npm-dev"] },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|bench/out|data|test/fixtures/lint)/" },
    parser: "swc",
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
