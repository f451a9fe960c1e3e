// CSV lines for exports, with cells that a spreadsheet would run as a formula neutralized.
export function csvCell(value: unknown): string {
  let s = value instanceof Date ? value.toISOString() : value === null || value === undefined ? "" : String(value);
  // OWASP CSV injection: a leading = + - @ tab or CR makes spreadsheets evaluate the cell.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: unknown[]) => cells.map(csvCell).join(",") + "\r\n";
