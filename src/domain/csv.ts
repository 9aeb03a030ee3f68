/**
 * One RFC 4180 line: a cell with a comma, quote or line break is quoted (quotes doubled). A cell that a
 * spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) gets a leading
 * apostrophe first: an exported narrative must never become a command on the reader's computer. Pure, so
 * that the server's exports and the browser's problem reports write CSV the same way.
 */
export function csvLine(cells: readonly string[]): string {
  return (
    cells
      .map((cell) => {
        const safe = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
        return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
      })
      .join(',') + '\r\n'
  );
}
