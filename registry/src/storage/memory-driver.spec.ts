import { describeDriverConformance } from "./driver-conformance.ts";
import { MemoryDriver } from "./memory-driver.ts";

describeDriverConformance("inmemory", () => Promise.resolve(new MemoryDriver()));
