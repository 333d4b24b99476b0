// The null app's process (bench/lib/null-app.ts): `node bench/lib/null-app-main.ts --address tcp://127.0.0.1:26658
// --transport grpc|socket [--grpc-server native|grpc-js] --log-file FILE`. Serves until SIGTERM/SIGINT; the log file gets the bound address and
// any transport warning (its path also names the chain's home in the command line, for bench/lib/proc-cpu.ts).
import { appendFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_GRPC_SERVER, serveAbci, type AbciLogger } from "../../abci-app/src/abci/index.ts";
import { errorMessage } from "../../abci-app/src/abci/logger.ts";
import { NullApplication } from "./null-app.ts";

const { values } = parseArgs({
  options: { address: { type: "string" }, transport: { type: "string", default: "grpc" }, "grpc-server": { type: "string", default: DEFAULT_GRPC_SERVER }, "log-file": { type: "string" } },
});
const { address, transport } = values;
const logFile = values["log-file"];
if (address === undefined || logFile === undefined) throw new Error("--address and --log-file are required");
if (transport !== "grpc" && transport !== "socket") throw new Error("--transport must be grpc or socket");
const grpcServer = values["grpc-server"];
if (grpcServer !== "grpc-js" && grpcServer !== "native") throw new Error("--grpc-server must be grpc-js or native");
const line = (level: string, msg: string): void => appendFileSync(logFile, `${new Date().toISOString()} ${level} ${msg}\n`);
const write = (level: string) => (o: object | string, msg?: string): void => line(level, typeof o === "string" ? o : `${msg ?? ""} ${errorMessage((o as { err?: unknown }).err ?? "")}`.trim());
const logger: AbciLogger = { info: () => undefined, warn: write("warn"), error: write("error") };
const server = await serveAbci({ app: new NullApplication(), address, transport, grpcServer, logger });
line("info", `null app serving ${transport}${transport === "grpc" ? ` (${grpcServer})` : ""} on ${server.address}`);
const stop = (): void => void server.close().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
