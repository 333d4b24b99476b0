// What the registry module needs of other modules: nothing. Namespaces, registries and tag records are its own
// state; the registry service pays its fees through the ordinary tx path (auth's ante handler). A keeper this
// module comes to need (e.g. bank for a namespace deposit) is declared here as an interface and wired in app/modules.ts.
export type RegistryExpectedKeepers = Record<string, never>;
