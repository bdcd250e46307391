import { useEffect, useId, useRef, useState } from 'react';
import { useAppStore } from '../../views/shared/storeContext';
import type { EmbedPanel } from './embedParams';
import { PANEL_TITLES, embedSnippet, embedUrlOf } from './embedParams';

const selectSourceKind = (s: { model: { source: { kind: string } | null } }) => s.model.source?.kind ?? null;

/**
 * "Embed": the <iframe> snippet of one view for a slide, with a Copy button. The snippet is shown as text too, so it
 * can be copied by hand where the clipboard is not available (an insecure origin, a sandboxed frame).
 */
export function EmbedButton({ panel, title }: { panel: EmbedPanel; title: string }) {
  const [open, setOpen] = useState(false);
  const [theme, setTheme] = useState<'system' | 'light' | 'dark'>('system');
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const sourceKind = useAppStore(selectSourceKind);
  const text = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  useEffect(() => setCopied('no'), [open, theme]);
  const local = sourceKind === 'files';
  const snippet = open && !local ? embedSnippet(embedUrlOf(location.href, { panel, theme }), `Artificial MRI: ${title}`) : '';
  return (
    <span className="embed-button">
      <button type="button" className="button small" aria-expanded={open} aria-controls={id} data-testid={`embed-${panel}`} title="Copy embed code: this view as an <iframe> for slides" onClick={() => setOpen(!open)}>
        Embed
      </button>
      {open ? (
        <div className="embed-popover" id={id} role="dialog" aria-label={`Embed code for ${PANEL_TITLES[panel]}`}>
          {local ? (
            <p className="hint">A dropped file never leaves this machine, so an embed cannot load it. Embed a sample, or open the model from a URL (?url=…) the slide’s browser can fetch.</p>
          ) : (
            <>
              <label>
                theme{' '}
                <select value={theme} onChange={(e) => setTheme(e.target.value as typeof theme)}>
                  <option value="system">follow the viewer’s system</option>
                  <option value="light">light</option>
                  <option value="dark">dark</option>
                </select>
              </label>
              <textarea ref={text} readOnly rows={4} value={snippet} data-testid="embed-snippet" aria-label="Embed code" onFocus={(e) => e.currentTarget.select()} />
              <button
                type="button"
                className="button small primary"
                data-testid="embed-copy"
                onClick={() => {
                  text.current?.select();
                  navigator.clipboard.writeText(snippet).then(
                    () => setCopied('yes'),
                    () => setCopied('failed'),
                  );
                }}
              >
                Copy embed code
              </button>{' '}
              <span role="status" className="hint">
                {copied === 'yes' ? 'Copied.' : copied === 'failed' ? 'The clipboard is not available here: the code is selected, press Ctrl+C.' : ''}
              </span>
            </>
          )}
        </div>
      ) : null}
    </span>
  );
}
