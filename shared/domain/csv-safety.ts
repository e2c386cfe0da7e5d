/**
 * Spreadsheets run cells that begin with = + - @ (or tab / carriage return) as formulas. A signer's name is
 * input from anyone, so such a cell is prefixed with an apostrophe, which spreadsheets show as text.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
