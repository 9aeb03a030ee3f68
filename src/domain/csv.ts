/**
 * One RFC 4180 line: a cell with a comma, quote or line break is quoted (quotes doubled). A cell that a
 * spreadsheet would run as a formula (starting with =, +, -, @, a tab, a carriage return or a line feed)
 * gets a leading apostrophe first: an exported narrative must never become a command on the reader's
 * computer. Pure, so that the server's exports and the browser's problem reports write CSV the same way.
 */
export function csvLine(cells: readonly string[]): string {
  return (
    cells
      .map((cell) => {
        const safe = /^[=+\-@\t\r\n]/.test(cell) ? `'${cell}` : cell;
        return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
      })
      .join(',') + '\r\n'
  );
}

/**
 * An import's problems as CSV (header `row,column,problem`): the file the import page offers and
 * `vigia import incidents --report` writes, one function so that whatever reads one reads the other.
 */
export function problemsCsv(problems: ReadonlyArray<{ row: number; column: string; problem: string }>): string {
  return [csvLine(['row', 'column', 'problem']), ...problems.map((p) => csvLine([String(p.row), p.column, p.problem]))].join('');
}
