import type { InputFailure } from './imageInputs';
import { formatBytes } from './imageInputs';

/** Thumbnails shown per class. */
export const THUMBNAILS_PER_CLASS = 6;

export interface InputSetSummaryProps {
  readonly classes: readonly string[];
  readonly labels: readonly number[];
  readonly names: readonly string[];
  /** One data URL per example ('' where none could be made). */
  readonly thumbnails: readonly string[];
  /** The batch's shape, and its smallest and largest value (what the model will receive). */
  readonly shape: readonly number[] | null;
  readonly range: readonly [number, number] | null;
  readonly failures: readonly InputFailure[];
  readonly notes: readonly string[];
  /** Small images drawn with hard pixel edges (the 32 px stroke set). */
  readonly pixelated?: boolean;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** "5 classes · 100 images", a row of thumbnails per class, the batch, and the files that failed with reasons. */
export function InputSetSummary({ classes, labels, names, thumbnails, shape, range, failures, notes, pixelated }: InputSetSummaryProps) {
  const byClass = classes.map(() => [] as number[]);
  labels.forEach((label, i) => byClass[label]?.push(i));
  const bytes = shape ? shape.reduce((a, b) => a * b, 1) * 4 : 0;
  return (
    <section className="probe-summary" aria-label="Input set" data-testid="probe-summary">
      <p className="probe-summary-line">
        <strong>
          {plural(classes.length, 'class', 'classes')} · {plural(labels.length, 'image')}
        </strong>
        {shape ? (
          <span className="probe-batch">
            {' '}
            · batch [{shape.join(', ')}], {formatBytes(bytes)}
            {range ? `, values ${range[0].toPrecision(3)} … ${range[1].toPrecision(3)}` : ''}
          </span>
        ) : null}
      </p>
      {notes.length > 0 ? (
        <ul className="probe-notes">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      <ul className="probe-classes">
        {classes.map((c, k) => {
          const members = byClass[k] ?? [];
          return (
            <li key={c} className="probe-class">
              <span className="probe-class-name" title={c}>
                {c} <span className="probe-class-count">({members.length})</span>
              </span>
              <span className="probe-thumbs">
                {members.slice(0, THUMBNAILS_PER_CLASS).map((i) =>
                  thumbnails[i] ? (
                    <img key={i} src={thumbnails[i]} alt={names[i] ?? ''} title={names[i]} className={pixelated ? 'pixelated' : undefined} />
                  ) : (
                    <span key={i} className="probe-thumb-missing" title={names[i]} />
                  ),
                )}
              </span>
            </li>
          );
        })}
      </ul>
      {failures.length > 0 ? (
        <details className="probe-failures" open={failures.length <= 8} data-testid="probe-failures">
          <summary>
            {plural(failures.length, 'file')} left out
          </summary>
          <ul>
            {failures.map((f, i) => (
              <li key={`${i} ${f.name}`}>
                <code>{f.name}</code> {f.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
