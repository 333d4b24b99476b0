export { createRegistry, REGISTRY_VERSION, type Registry, type RegistryDeps } from "./server.ts";
export { defaultConfig, mergeConfig, loadConfigFile, parseListen, formatListen, trustnetHome, type RegistryConfig } from "./config.ts";
export { type TagRecorder, type TagReservation, type TagEvent, type TagDeleteEvent, type ChainProbe, MemoryTagRecorder, noopTagRecorder } from "./hooks.ts";
export { type NamespaceOwners, InMemoryNamespaceOwners } from "./auth/namespace-owners.ts";
export { createLoginToken, verifyLoginToken, addressOf, type CreateLoginTokenOptions, type VerifiedLogin } from "./auth/login-token.ts";
export { type GcReport } from "./storage/gc.ts";
export { RegistryError, TokenError, ConfigError, StartupError } from "./errors.ts";
export { startRegistryProcess, stopOnSignals, parseNodeUrl, type RunningRegistry, type ServeOptions } from "./serve.ts";
export { ChainTagSubmitter, tagQueueFiles, type OperatorKey } from "./chain/index.ts";
