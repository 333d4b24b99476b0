/** Download progress for the provisioner: the installer's bar (drawn on a terminal only, nothing in logs). */
import { type ProgressReporter, silentProgress as silent, ttyProgress } from "@trustnet/installer";

export type Progress = ProgressReporter;
export const silentProgress: Progress = silent;

export function stderrProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  return ttyProgress(label, stream);
}
