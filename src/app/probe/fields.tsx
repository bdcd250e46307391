import { useState } from 'react';
import type { KeyboardEvent } from 'react';
import { formatNumber, formatNumberList, parseNumber, parseNumberList } from './numberText';

interface DraftFieldProps<T> {
  /** The visible label, which is also the input's accessible name. */
  readonly label: string;
  readonly value: T;
  readonly format: (v: T) => string;
  /** The value of a draft, or a sentence saying why it is not one. */
  readonly parse: (text: string) => { value: T } | { error: string };
  readonly onCommit: (v: T) => void;
  readonly disabled?: boolean;
  readonly title?: string;
  readonly size?: number;
  readonly testId?: string;
}

/**
 * A text box that edits a value through a draft: typing never commits half a number (`1/2` on the way to
 * `1/255`); Enter or leaving the box commits a valid draft, Escape reverts, an invalid draft stays marked.
 */
function DraftField<T>({ label, value, format, parse, onCommit, disabled, title, size = 6, testId }: DraftFieldProps<T>) {
  const [draft, setDraft] = useState<string | null>(null);
  const parsed = draft === null ? null : parse(draft);
  const error = parsed && 'error' in parsed ? parsed.error : null;
  const commit = () => {
    if (parsed && 'value' in parsed) {
      onCommit(parsed.value);
      setDraft(null);
    }
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') commit();
    else if (e.key === 'Escape') setDraft(null);
  };
  return (
    <label className="probe-field" title={error ?? title}>
      <span className="probe-field-label">{label}</span>
      <input
        type="text"
        inputMode="decimal"
        spellCheck={false}
        size={size}
        value={draft ?? format(value)}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        data-testid={testId}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={onKeyDown}
      />
    </label>
  );
}

export interface NumberFieldProps {
  readonly label: string;
  readonly value: number;
  readonly onCommit: (v: number) => void;
  /** Whole numbers only, within [min, max]. */
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly disabled?: boolean;
  readonly title?: string;
  readonly testId?: string;
}

/** One number; accepts fractions such as `1/255`. */
export function NumberField({ integer, min = -Infinity, max = Infinity, ...rest }: NumberFieldProps) {
  const parse = (text: string): { value: number } | { error: string } => {
    const v = parseNumber(text);
    if (v === null) return { error: `“${text}” is not a number` };
    if (integer && !Number.isInteger(v)) return { error: 'a whole number, please' };
    if (v < min || v > max) return { error: `from ${min} to ${max}` };
    return { value: v };
  };
  return <DraftField<number> {...rest} format={formatNumber} parse={parse} size={integer ? 5 : 7} />;
}

export interface NumberListFieldProps {
  readonly label: string;
  readonly value: readonly number[];
  readonly onCommit: (v: readonly number[]) => void;
  readonly disabled?: boolean;
  readonly title?: string;
  readonly testId?: string;
}

/** Several numbers, one per channel, separated by commas or spaces. */
export function NumberListField(props: NumberListFieldProps) {
  const parse = (text: string): { value: readonly number[] } | { error: string } => {
    const v = parseNumberList(text);
    return v === null ? { error: 'numbers separated by commas, e.g. 0.485, 0.456, 0.406' } : { value: v };
  };
  return <DraftField<readonly number[]> {...props} format={formatNumberList} parse={parse} size={18} />;
}
