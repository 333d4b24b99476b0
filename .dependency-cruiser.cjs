// The architecture check (npm test runs it: scripts/check-architecture.ts). Each rule names the boundary it keeps;
// docs/ARCHITECTURE.md "Boundaries" lists them. A violation fails the suite.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "No import cycles anywhere in the project's own code.",
      severity: "error",
      from: { pathNot: "node_modules" },
      to: { circular: true },
    },
    {
      name: "abci-knows-no-app",
      comment: "The ABCI server (abci-app/src/abci) is a transport: it knows no app, module or store (kvstore's split).",
      severity: "error",
      from: { path: "^abci-app/src/abci/" },
      to: { path: "^abci-app/src/(app|modules|store|rest)/" },
    },
    {
      name: "registry-handlers-know-no-driver",
      comment: "Registry HTTP handlers see the registry store, never a storage driver (CNCF distribution's split).",
      severity: "error",
      from: { path: "^registry/src/http/", pathNot: "\\.spec\\.ts$" },
      to: { path: "^registry/src/storage/(driver|fs-driver|memory-driver|paths)\\.ts$" },
    },
    {
      name: "packages-through-their-entry",
      comment: "A package reaches another only through its exported entry (@trustnet/<name>), never into its src/.",
      severity: "error",
      from: { path: "^(abci-app|cli|installer|registry|provisioner)/" },
      to: { path: "^(abci-app|cli|installer|registry|provisioner)/src/", pathNot: "^$1/", dependencyTypesNot: ["aliased-workspace"] },
    },
    {
      name: "state-machine-is-pure",
      comment: "Block execution (app/ and modules/) never imports the REST server, the CLI or another package.",
      severity: "error",
      from: { path: "^abci-app/src/(app|modules)/", pathNot: "\\.spec\\.ts$" },
      to: { path: "^(abci-app/src/rest/|cli/|registry/|installer/|provisioner/)" },
    },
    {
      name: "block-execution-knows-no-client-code",
      comment:
        "A module's client surface (modules/<m>/client/: REST routes, CLI queries) and the kernel's client helpers (sdk/client/) are " +
        "served outside block execution: only a module's index.ts (its descriptor) hands them on; keepers, msg servers, queries, " +
        "genesis, blockers, the app and the kernel never import them (the descriptor's types may be named).",
      severity: "error",
      from: { path: "^abci-app/src/(app|modules|sdk)/", pathNot: "(\\.spec\\.ts$|^abci-app/src/modules/[^/]+/index\\.ts$|/client/|^abci-app/src/app/testing/)" },
      to: { path: "^abci-app/src/(modules/[^/]+/client|sdk/client)/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "client-code-is-not-block-execution",
      comment: "Client code reads the chain through queries: it never imports a keeper, msg server or the app.",
      severity: "error",
      from: { path: "^abci-app/src/(modules/[^/]+/client|sdk/client)/" },
      to: { path: "^abci-app/src/(app/|modules/[^/]+/(keeper|msgs|genesis|ante|invariants)\\.ts$)" },
    },
    {
      name: "sdk-is-the-kernel",
      comment: "sdk/ (context, module, errors, events, gas, coins, address, keys, codec) knows no app, module, REST or transport.",
      severity: "error",
      from: { path: "^abci-app/src/sdk/" },
      to: { path: "^abci-app/src/(app|modules|rest|abci)/" },
    },
    {
      name: "client-knows-no-app",
      comment: "The chain client (abci-app/src/client) is what other programs link: it sees the sdk and the modules' wire types, never the app, the store, REST or the ABCI server.",
      severity: "error",
      from: { path: "^abci-app/src/client/", pathNot: "\\.spec\\.ts$" },
      to: { path: "^abci-app/src/(app|store|rest|abci)/" },
    },
    {
      name: "modules-see-only-the-sdk",
      comment: "sdk <- modules <- app: a module imports sdk/ (and the store), never the app that wires it.",
      severity: "error",
      from: { path: "^abci-app/src/modules/", pathNot: "\\.spec\\.ts$" },
      to: { path: "^abci-app/src/app/" },
    },
    {
      name: "modules-know-each-other-only-by-expected-keepers",
      comment: "A module never imports another module; it declares the keeper it expects (expected-keepers.ts) and the app wires it.",
      severity: "error",
      from: { path: "^abci-app/src/modules/([^/]+)/", pathNot: "\\.spec\\.ts$" },
      to: { path: "^abci-app/src/modules/", pathNot: "^abci-app/src/modules/$1/" },
    },
    {
      name: "modules-know-no-transport",
      comment: "Modules see the context they are handed, never the ABCI server.",
      severity: "error",
      from: { path: "^abci-app/src/modules/" },
      to: { path: "^abci-app/src/abci/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)node_modules/|(^|/)dist/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "node", "default"], extensions: [".ts", ".js"] },
    combinedDependencies: true,
  },
};
