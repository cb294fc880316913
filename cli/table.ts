/**
 * Column formatting as the Docker CLI's `text/tabwriter` does it: every column but the last is padded to
 * the widest cell plus `padding` spaces, and never narrower than `minWidth`. Widths count characters
 * (code points), so the `…` of a truncated command counts as one.
 */

/** Options of {@link formatTable}. */
export interface TableOptions {
  /** The narrowest a column may be, padding included (the Docker CLI uses 10 for lists, 20 for `top`). */
  minWidth?: number;
  /** Spaces after the widest cell of a column. */
  padding?: number;
}

/** Lays out rows (the header is just the first row) into lines, each ending with a newline. */
export function formatTable(rows: ReadonlyArray<readonly string[]>, options: TableOptions = {}): string {
  const minWidth = options.minWidth ?? 10;
  const padding = options.padding ?? 3;
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => {
      if (column === row.length - 1) return;
      widths[column] = Math.max(widths[column] ?? 0, Math.max(displayWidth(cell) + padding, minWidth));
    });
  }
  let out = '';
  for (const row of rows) {
    out += row.map((cell, column) => (column === row.length - 1 ? cell : cell + ' '.repeat(widths[column]! - displayWidth(cell)))).join('');
    out += '\n';
  }
  return out;
}

/** Characters as a terminal counts them for plain text: code points. */
export function displayWidth(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** Cuts `text` to `max` characters, the last one an ellipsis (`…`), as the Docker CLI truncates commands. */
export function ellipsis(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max <= 1) return chars.slice(0, max).join('');
  return chars.slice(0, max - 1).join('') + '…';
}
