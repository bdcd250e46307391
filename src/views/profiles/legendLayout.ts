/** Where the entries of a one-line SVG legend go, wrapping onto more rows when the chart is narrow. */

/** Gap between a swatch and its text, and between entries, px. */
const SWATCH_GAP = 5;
const ENTRY_GAP = 14;
/** Approximate width of a character of 11 px legend text, px. */
export const LEGEND_CHAR_PX = 6.2;
/** Height of a legend row, px. */
export const LEGEND_ROW_PX = 16;

/**
 * The position of each legend entry (its swatch's left edge and row) in a legend at most `maxWidth` px wide.
 * @param entries swatch width (px) and label of each entry, in order
 */
export function legendLayout(entries: readonly { readonly swatch: number; readonly label: string }[], maxWidth: number): { x: number; row: number }[] {
  let x = 0;
  let row = 0;
  return entries.map((e) => {
    const w = e.swatch + SWATCH_GAP + e.label.length * LEGEND_CHAR_PX;
    if (x > 0 && x + w > maxWidth) {
      x = 0;
      row++;
    }
    const at = { x, row };
    x += w + ENTRY_GAP;
    return at;
  });
}
