/**
 * What a drop (or a file-input pick) opens: one model, or several checkpoints as a study when the files are
 * several complete models (`groupCheckpointFiles`); a training log among them (`metrics.json`,
 * `trainer_state.json`) is read for the study's curves.
 */
import type { AppStore } from '../state/createAppStore';
import type { FileEntry } from '../../workers/protocol';
import { groupCheckpointFiles, parseTrainingLog } from '../analysis/checkpoints';
import type { TrainingLog } from '../analysis/checkpoints';
import type { DroppedFile } from './droppedFiles';

const LOG_NAMES = /(^|\/)(metrics|trainer_state|training_log|log_history)\.json$/i;
const baseName = (path: string) => path.slice(path.replace(/\\/g, '/').lastIndexOf('/') + 1);

/** The first readable training log of the drop (a bad one is ignored: a log never blocks a study). */
async function trainingLogOf(files: readonly DroppedFile[]): Promise<TrainingLog | null> {
  for (const f of files) {
    if (!LOG_NAMES.test(f.path)) continue;
    try {
      const log = parseTrainingLog(JSON.parse(await f.file.text()));
      if (log.curves.length > 0) return log;
    } catch {
      // not JSON: not a log
    }
  }
  return null;
}

/** Open dropped files: as a study when they are several checkpoints, else as one model. */
export async function openDrop(store: AppStore, files: readonly DroppedFile[]): Promise<void> {
  if (files.length === 0) return;
  const groups = groupCheckpointFiles(files.map((f) => f.path));
  const state = store.getState();
  if (!groups) {
    await state.openFiles(files.map((f) => ({ name: f.file.name, blob: f.file })));
    return;
  }
  const byPath = new Map(files.map((f) => [f.path, f.file]));
  const inputs = groups.map((g) => ({
    name: g.name,
    files: g.paths.flatMap((p): FileEntry[] => {
      const file = byPath.get(p);
      return file ? [{ name: baseName(p), blob: file }] : [];
    }),
  }));
  const log = await trainingLogOf(files);
  await state.openStudy(inputs, { kind: 'files', names: files.map((f) => f.file.name) }, {
    title: `${groups.length} checkpoints`,
    showPage: true,
    ...(log ? { curves: log.curves, milestones: log.milestones } : {}),
  });
}
