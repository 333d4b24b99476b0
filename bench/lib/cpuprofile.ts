// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function, heaviest first.

export interface CpuProfile {
  readonly nodes: readonly { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: readonly number[] }[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface SelfTime { readonly name: string; readonly ms: number; readonly share: number }

const shortUrl = (url: string): string => {
  const i = url.lastIndexOf("/node_modules/");
  if (i >= 0) return url.slice(i + 14);
  const j = url.search(/\/(abci-app|cli|registry)\/src\//);
  return j >= 0 ? url.slice(j + 1) : url.replace(/^file:\/\//, "");
};

function msPerNode(p: CpuProfile): Map<number, number> {
  const msById = new Map<number, number>();
  if (p.samples && p.timeDeltas && p.samples.length === p.timeDeltas.length) {
    for (let i = 0; i < p.samples.length; i++) {
      const dt = p.timeDeltas[i]!; // the time since the previous sample
      msById.set(p.samples[i]!, (msById.get(p.samples[i]!) ?? 0) + dt / 1000);
    }
  } else {
    const total = p.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0) || 1;
    for (const n of p.nodes) msById.set(n.id, ((n.hitCount ?? 0) / total) * ((p.endTime - p.startTime) / 1000));
  }
  return msById;
}

/**
 * Self time per function (pure), aggregated over all nodes with the same name and location. `share` is of the
 * busy time (everything but "(idle)"). Sample times come from timeDeltas.
 */
export function selfTimes(p: CpuProfile): { busyMs: number; totalMs: number; top: SelfTime[] } {
  const msById = msPerNode(p);
  const byName = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  for (const n of p.nodes) {
    const ms = msById.get(n.id) ?? 0;
    totalMs += ms;
    const f = n.callFrame;
    if (f.functionName === "(idle)") { idleMs += ms; continue; }
    const name = f.url ? `${f.functionName || "(anonymous)"} ${shortUrl(f.url)}:${f.lineNumber + 1}` : f.functionName || "(anonymous)";
    byName.set(name, (byName.get(name) ?? 0) + ms);
  }
  const busyMs = totalMs - idleMs;
  const top = [...byName].map(([name, ms]) => ({ name, ms, share: busyMs > 0 ? ms / busyMs : 0 })).sort((a, b) => b.ms - a.ms);
  return { busyMs, totalMs, top };
}

/** Self time grouped by file (or native bucket): which module the busy time is spent in. */
export function selfTimeByFile(p: CpuProfile): SelfTime[] {
  const { top, busyMs } = selfTimes(p);
  const byFile = new Map<string, number>();
  for (const t of top) {
    const m = /^.* (\S+):\d+$/.exec(t.name);
    const file = m ? m[1]! : t.name;
    byFile.set(file, (byFile.get(file) ?? 0) + t.ms);
  }
  return [...byFile].map(([name, ms]) => ({ name, ms, share: busyMs > 0 ? ms / busyMs : 0 })).sort((a, b) => b.ms - a.ms);
}

/**
 * Where the self time of function `name` (e.g. a native "writeBuffer") comes from: its samples grouped by the
 * nearest calling frame in the project's own code (abci-app/src, …), heaviest first.
 */
export function attributeToProjectFrame(p: CpuProfile, name: string): SelfTime[] {
  const { msById, busyMs } = sampleTimes(p);
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  for (const n of p.nodes) {
    if (n.callFrame.functionName !== name) continue;
    let id = parent.get(n.id);
    let label = "(no project frame)";
    while (id !== undefined) {
      const f = byId.get(id)!.callFrame;
      if (/\/(abci-app|cli|registry)\/src\//.test(f.url)) { label = `${f.functionName || "(anonymous)"} ${shortUrl(f.url)}:${f.lineNumber + 1}`; break; }
      id = parent.get(id);
    }
    out.set(label, (out.get(label) ?? 0) + (msById.get(n.id) ?? 0));
  }
  return [...out].map(([k, ms]) => ({ name: k, ms, share: busyMs > 0 ? ms / busyMs : 0 })).sort((a, b) => b.ms - a.ms);
}

function sampleTimes(p: CpuProfile): { msById: Map<number, number>; busyMs: number } {
  return { msById: msPerNode(p), busyMs: selfTimes(p).busyMs };
}
