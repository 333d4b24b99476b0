// Small helpers shared by benchmarks: timing, a seeded PRNG, and a ratio table.

/** Milliseconds taken by `fn`. */
export function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** mulberry32: reproducible workloads (the same PRNG the store tests use). */
export { prng } from "../../abci-app/src/store/testing/helpers.ts";

/** Prints one row per phase, one column per driver, with each value's ratio to the `base` column. */
export function printTable(columns: ReadonlyMap<string, ReadonlyMap<string, number>>, base: string): void {
  const names = [...columns.keys()];
  const phases: string[] = [];
  for (const r of columns.values()) for (const k of r.keys()) if (!phases.includes(k)) phases.push(k);
  const header = ["phase (ms unless noted)", ...names];
  const rows = phases.map((ph) => {
    const b = columns.get(base)?.get(ph);
    return [ph, ...names.map((n) => {
      const v = columns.get(n)?.get(ph);
      if (v === undefined) return "—";
      const ratio = n !== base && b !== undefined && b > 0 ? ` (${(v / b).toFixed(2)}×)` : "";
      return `${v.toFixed(v < 10 ? 2 : 0)}${ratio}`;
    })];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  console.log(`\n${line(header)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
  console.log(`\nratios are to ${base} (lower is faster)`);
}
