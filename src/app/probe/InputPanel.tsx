import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DragEvent } from 'react';
import type { ProbeBatch, ProbeInputSpec } from '../../../workers/probeProtocol';
import type { InputPreprocessing } from '../../analysis/probeInputs/inputSpec';
import { checkPreprocessing, defaultPreprocessing, samplePreprocessing } from '../../analysis/probeInputs/inputSpec';
import type { LabelledInputs } from '../../analysis/probeInputs/labelledSet';
import { buildLabelledInputs } from '../../analysis/probeInputs/labelledSet';
import { STROKE_TEST_SEED, sampleInputSet } from '../../analysis/probeInputs/sampleInputs';
import { STROKE_IMAGE_SIZE } from '../../analysis/stimuli/strokeClasses';
import { droppedFilesWithPaths } from '../droppedFiles';
import type { DecodeSize, DecodedImage, InputFailure, PathedFile, ResizeMode } from './imageInputs';
import { decodeLabelledImages, decodeNotes, labelFiles, pickedFolderFiles, splitByClass } from './imageInputs';
import { PreprocessingForm } from './PreprocessingForm';
import { InputSetSummary } from './InputSetSummary';
import { NumberField } from './fields';
import { rgbaDataUrl } from './thumbnails';

/** A labelled set ready for the probe worker, and where it came from. */
export interface ProbeInputSet extends LabelledInputs {
  readonly batch: ProbeBatch;
  /** A small image URL per input (data: URLs), for the top-inputs view. */
  readonly thumbnails: readonly string[];
  readonly source: 'sample' | 'images';
  /** The settings the batch was made with. */
  readonly preprocessing: InputPreprocessing;
}

export interface InputPanelProps {
  /** What the model file says about its input (from the probe worker's `opened` reply), if anything. */
  readonly spec: ProbeInputSpec | null | undefined;
  /** The preprocessing in force; the panel edits it through `onChange`. */
  readonly value: InputPreprocessing;
  readonly onChange: (p: InputPreprocessing) => void;
  /** The current input set whenever it changes; null when there is none or the settings make it unusable. */
  readonly onInputs: (inputs: ProbeInputSet | null) => void;
  /** A probe is running: inputs cannot change. */
  readonly busy?: boolean;
  /** The stroke sample is open: offer its built-in labelled set. */
  readonly sampleAvailable?: boolean;
  /** Start with the built-in set (a permalink asked for it), when it is available. */
  readonly startWithSample?: boolean;
}

/** Where the inputs come from: the built-in set, or decoded user images (with the labelled files, for re-decoding). */
type Source =
  | { readonly kind: 'sample'; readonly perClass: number; readonly seed: number }
  | {
      readonly kind: 'images';
      readonly entries: readonly PathedFile[];
      readonly images: readonly DecodedImage[];
      readonly size: DecodeSize;
      readonly failures: readonly InputFailure[];
      readonly notes: readonly string[];
    };

interface Loading {
  readonly done: number;
  readonly total: number;
}

/** Largest built-in set per class. */
const MAX_SAMPLE_PER_CLASS = 500;

const sameSize = (a: DecodeSize, b: DecodeSize): boolean => a.height === b.height && a.width === b.width && a.resize === b.resize;
const entryKey = (e: PathedFile): string => `${e.label ?? ''}\u0000${e.path}\u0000${e.file.size}\u0000${e.file.lastModified}`;
const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Smallest and largest value of a batch. */
function valueRange(data: Float32Array): [number, number] | null {
  if (data.length === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

/** The set a source gives under `p`, with its thumbnails; null while images wait to be decoded at p's size. */
function deriveSet(source: Source, p: InputPreprocessing, resize: ResizeMode): { inputs: LabelledInputs; thumbnails: readonly string[] } | null {
  if (source.kind === 'sample') {
    const set = sampleInputSet(source.perClass, source.seed, p);
    return { inputs: set, thumbnails: set.thumbnails.map((t) => rgbaDataUrl(t, STROKE_IMAGE_SIZE, STROKE_IMAGE_SIZE)) };
  }
  if (!sameSize(source.size, { height: p.height, width: p.width, resize })) return null;
  return { inputs: buildLabelledInputs(source.images, p), thumbnails: source.images.map((i) => i.thumbnail) };
}

/**
 * The probe's inputs: the model's input spec and the editable preprocessing; the built-in stroke set (when the
 * sample is open); a drop zone and pickers for a folder with one sub-folder per class, or files with a typed class
 * name; progress with Cancel while images decode; files that failed, with reasons; and a summary with a row of
 * thumbnails per class. Presentational: the preprocessing lives with the caller (`value`, `onChange`), and every
 * change of the set is reported through `onInputs`.
 */
export function InputPanel({ spec, value, onChange, onInputs, busy = false, sampleAvailable = false, startWithSample = false }: InputPanelProps) {
  const [source, setSource] = useState<Source | null>(null);
  const [loading, setLoading] = useState<Loading | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [unlabelled, setUnlabelled] = useState<readonly PathedFile[]>([]);
  const [resize, setResize] = useState<ResizeMode>('stretch');
  const [perClass, setPerClass] = useState(20);
  const [className, setClassName] = useState('');
  const [looseClass, setLooseClass] = useState('');
  const [dragging, setDragging] = useState(false);
  const controller = useRef<AbortController | null>(null);
  const dragDepth = useRef(0);
  const folderInput = useRef<HTMLInputElement | null>(null);
  const filesInput = useRef<HTMLInputElement | null>(null);

  const sampleSettings = useMemo<InputPreprocessing>(() => ({ ...samplePreprocessing, layout: spec?.layout ?? samplePreprocessing.layout }), [spec]);
  const modelDefault = sampleAvailable ? sampleSettings : defaultPreprocessing(spec);
  const usable = checkPreprocessing(value).length === 0;

  const derived = useMemo(() => (source && usable ? deriveSet(source, value, resize) : null), [source, value, resize, usable]);
  const range = useMemo(() => (derived ? valueRange(derived.inputs.batch.data) : null), [derived]);

  // Report the set (or its absence) whenever it changes; the latest callback, without re-reporting when only it changes.
  const report = useRef(onInputs);
  useEffect(() => {
    report.current = onInputs;
  }, [onInputs]);
  useEffect(() => {
    const ready = derived && source && derived.inputs.labels.length > 0;
    report.current(ready ? { ...derived.inputs, thumbnails: derived.thumbnails, source: source.kind, preprocessing: value } : null);
  }, [derived, source, value]);

  // Cancel a decode in flight when the panel goes away.
  useEffect(() => () => controller.current?.abort(), []);

  /**
   * Decode `drop` and make it the set ('replace') or add it ('append'). Files outside class folders wait for a
   * class name; an append at another size decodes the earlier files again, so that all share one size.
   */
  const load = useCallback(
    async (drop: readonly PathedFile[], mode: 'replace' | 'append' | 'redecode') => {
      const { labelled, unlabelled: loose, ignored } = splitByClass(drop);
      setMessage(null);
      if (mode !== 'redecode') {
        if (labelled.length === 0 && loose.length === 0) {
          setMessage(ignored.length > 0 ? `Only system files (${ignored.slice(0, 3).join(', ')}) were found: nothing to load.` : 'No files were found.');
          return;
        }
        if (loose.length > 0) setUnlabelled((previous) => [...(mode === 'append' ? previous : []), ...loose]);
        if (labelled.length === 0) return;
      }
      if (checkPreprocessing(value).length > 0) {
        setMessage('Fix the input settings first: the images are resized to them.');
        return;
      }
      const size: DecodeSize = { height: value.height, width: value.width, resize };
      const previous = mode === 'append' && source?.kind === 'images' ? source : null;
      const keep = previous && sameSize(previous.size, size) ? previous : null;
      const known = new Set((previous?.entries ?? []).map(entryKey));
      const fresh = mode === 'append' ? labelled.filter((e) => !known.has(entryKey(e))) : labelled;
      const toDecode = keep ? fresh : [...(previous?.entries ?? []), ...fresh];
      if (toDecode.length === 0) {
        setMessage('Those files are already in the set.');
        return;
      }
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      setLoading({ done: 0, total: toDecode.length });
      try {
        const result = await decodeLabelledImages(toDecode, size, {
          signal: abort.signal,
          onProgress: (done, total) => setLoading({ done, total }),
        });
        const images = [...(keep?.images ?? []), ...result.images];
        setSource({
          kind: 'images',
          entries: [...(keep?.entries ?? []), ...toDecode],
          images,
          size,
          failures: [...(keep?.failures ?? []), ...result.failures],
          notes: decodeNotes(images, size),
        });
        if (images.length === 0) setMessage('None of the files could be used as images: see the list below.');
      } catch (error) {
        if (isAbort(error)) setMessage('Cancelled: the previous inputs are kept.');
        else setMessage(`Loading the images failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        if (controller.current === abort) {
          controller.current = null;
          setLoading(null);
        }
      }
    },
    [value, resize, source],
  );

  // Images decoded at another size than the settings now ask for: decode them again, once per size.
  const redecodedFor = useRef<string | null>(null);
  const stale = source?.kind === 'images' && usable && !sameSize(source.size, { height: value.height, width: value.width, resize });
  const staleKey = stale ? `${value.height}×${value.width} ${resize}` : null;
  useEffect(() => {
    if (!staleKey || loading || busy || source?.kind !== 'images' || redecodedFor.current === staleKey) return;
    redecodedFor.current = staleKey;
    void load(source.entries, 'redecode');
  }, [staleKey, loading, busy, source, load]);

  const chooseSample = () => {
    controller.current?.abort();
    setUnlabelled([]);
    setMessage(null);
    setSource({ kind: 'sample', perClass, seed: STROKE_TEST_SEED });
    if (JSON.stringify(value) !== JSON.stringify(sampleSettings)) onChange(sampleSettings);
  };

  // A permalink that names the built-in set starts with it (once, when the sample is open).
  const started = useRef(false);
  useEffect(() => {
    if (started.current || !startWithSample || !sampleAvailable || source !== null) return;
    started.current = true;
    chooseSample();
  });

  const clear = () => {
    controller.current?.abort();
    setSource(null);
    setUnlabelled([]);
    setMessage(null);
  };

  const addLoose = () => {
    const files = unlabelled.map((e) => e.file);
    setUnlabelled([]);
    void load(labelFiles(files, looseClass), 'append');
  };

  const dragHandlers = {
    // Stop these here so the page-wide drop handler (which opens models) neither shows its overlay nor opens images.
    onDragEnter: (e: DragEvent<HTMLDivElement>) => {
      e.preventDefault();
      e.stopPropagation();
      dragDepth.current++;
      setDragging(true);
    },
    onDragOver: (e: DragEvent<HTMLDivElement>) => {
      e.preventDefault();
      e.stopPropagation();
    },
    onDragLeave: (e: DragEvent<HTMLDivElement>) => {
      e.stopPropagation();
      dragDepth.current = Math.max(0, dragDepth.current - 1);
      if (dragDepth.current === 0) setDragging(false);
    },
    onDrop: (e: DragEvent<HTMLDivElement>) => {
      e.preventDefault();
      e.stopPropagation();
      dragDepth.current = 0;
      setDragging(false);
      if (busy || loading) return;
      void droppedFilesWithPaths(e.dataTransfer).then((files) => load(files, 'replace'));
    },
  };

  const locked = busy || loading !== null;
  const looseName = looseClass.trim();
  return (
    <section className="probe-inputs" aria-label="Probe inputs" data-state={loading ? 'loading' : derived ? 'ready' : 'empty'}>
      <PreprocessingForm spec={spec} value={value} onChange={onChange} resize={resize} onResize={setResize} modelDefault={modelDefault} disabled={locked} />

      {sampleAvailable ? (
        <div className="probe-sample">
          <NumberField label="Images per class" integer min={1} max={MAX_SAMPLE_PER_CLASS} value={perClass} onCommit={setPerClass} disabled={locked} testId="probe-per-class" />
          <button type="button" className="button" onClick={chooseSample} disabled={locked} data-testid="probe-use-sample">
            Use the built-in stroke set ({perClass} per class)
          </button>
          <span className="hint-inline">Held-out test images of the sample’s five classes, regenerated from their seed.</span>
        </div>
      ) : null}

      <div className={`probe-drop${dragging ? ' dragging' : ''}`} {...dragHandlers} data-testid="probe-drop">
        <p>
          Drop a folder of images here, one sub-folder per class (<code>shapes/cat/1.png</code> → class <code>cat</code>). Images stay on this
          machine.
        </p>
        <div className="probe-pickers">
          <button type="button" className="button" disabled={locked} onClick={() => folderInput.current?.click()}>
            Choose a folder…
          </button>
          <input
            ref={(el) => {
              folderInput.current = el;
              if (el) el.webkitdirectory = true;
            }}
            type="file"
            multiple
            hidden
            aria-label="Folder of class folders"
            data-testid="probe-folder-input"
            onChange={(e) => {
              const files = pickedFolderFiles(Array.from(e.target.files ?? []));
              e.target.value = '';
              void load(files, 'replace');
            }}
          />
          <span className="probe-or">or</span>
          <label className="probe-field">
            <span className="probe-field-label">Class name</span>
            <input type="text" value={className} size={14} placeholder="e.g. cat" onChange={(e) => setClassName(e.target.value)} disabled={locked} data-testid="probe-class-name" />
          </label>
          <button type="button" className="button" disabled={locked} onClick={() => filesInput.current?.click()}>
            Choose files…
          </button>
          <input
            ref={filesInput}
            type="file"
            multiple
            accept="image/*"
            hidden
            aria-label="Image files of one class"
            data-testid="probe-files-input"
            onChange={(e) => {
              const files = Array.from(e.target.files ?? []);
              e.target.value = '';
              const name = className.trim();
              void load(name ? labelFiles(files, name) : files.map((file) => ({ file, path: file.name })), 'append');
            }}
          />
          {source ? (
            <button type="button" className="button" disabled={locked} onClick={clear}>
              Clear
            </button>
          ) : null}
        </div>
      </div>

      {loading ? (
        <div className="probe-progress" role="status" data-testid="probe-progress">
          <progress max={Math.max(1, loading.total)} value={loading.done} aria-label="Decoding images" />
          <span className="progress-text">
            Decoding {loading.done} / {plural(loading.total, 'image')}
          </span>
          <button type="button" className="button" onClick={() => controller.current?.abort()}>
            Cancel
          </button>
        </div>
      ) : null}

      <div aria-live="polite">
        {message ? (
          <p className="probe-message" data-testid="probe-message">
            {message}
          </p>
        ) : null}
        {stale && !loading ? (
          <p className="probe-message">
            The images were resized to {source.size.width}×{source.size.height}; the settings now ask for {value.width}×{value.height}
            {source.size.resize !== resize ? ` (${resize})` : ''}.{' '}
            <button type="button" className="button small" disabled={busy} onClick={() => void load(source.entries, 'redecode')}>
              Resize again
            </button>
          </p>
        ) : null}
      </div>

      {unlabelled.length > 0 ? (
        <div className="probe-unlabelled" role="group" aria-label="Files without a class" data-testid="probe-unlabelled">
          <p>
            {plural(unlabelled.length, 'file is', 'files are')} not in a class folder (
            {unlabelled
              .slice(0, 3)
              .map((e) => e.path)
              .join(', ')}
            {unlabelled.length > 3 ? ', …' : ''}). Which class are they?
          </p>
          <label className="probe-field">
            <span className="probe-field-label">Class for these files</span>
            <input type="text" value={looseClass} size={14} onChange={(e) => setLooseClass(e.target.value)} disabled={locked} />
          </label>
          <button type="button" className="button" disabled={locked || looseName === ''} onClick={addLoose}>
            Add them as {looseName ? `“${looseName}”` : 'this class'}
          </button>
          <button type="button" className="button" onClick={() => setUnlabelled([])}>
            Leave them out
          </button>
        </div>
      ) : null}

      {derived ? (
        <InputSetSummary
          classes={derived.inputs.classes}
          labels={derived.inputs.labels}
          names={derived.inputs.names}
          thumbnails={derived.thumbnails}
          shape={derived.inputs.batch.shape}
          range={range}
          failures={source?.kind === 'images' ? source.failures : []}
          notes={source?.kind === 'images' ? source.notes : []}
          pixelated={source?.kind === 'sample'}
        />
      ) : null}
    </section>
  );
}
