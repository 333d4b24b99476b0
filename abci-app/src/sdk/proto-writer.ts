// Exact-size buffers for every protobuf encode in the process. cosmjs-types 0.11's `BinaryWriter.finish()` calls
// `BinaryWriter.alloc`, which builds a fresh `pool(…)` on every call: each message under 4 KiB gets its own new
// 8 KiB slab and `finish()` returns a view into it. So every encode (SignDoc for each signature check, each account
// and balance written, each ABCI response) allocated 8 KiB, and whatever kept the result (branches, the store's
// caches, the decode cache) kept the whole slab alive. The bytes are the same either way; only the allocation
// changes. Installed when this module is first imported (the app imports it), for the one cosmjs-types instance.
import { BinaryWriter } from "cosmjs-types/binary";

const exact = (size: number): Uint8Array => new Uint8Array(size);

/** Replaces BinaryWriter.alloc with an exact-size allocation; idempotent. */
export function useExactWriterAllocation(): void {
  (BinaryWriter as unknown as { alloc: (size: number) => Uint8Array }).alloc = exact;
}

useExactWriterAllocation();
