/** Prices and money are kept in cents; rounding once at the source keeps live and rebuilt state equal. */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round((value + Number.EPSILON * Math.sign(value)) * f) / f;
}

export const cents = (value: number): number => roundTo(value, 2);
export const price4 = (value: number): number => roundTo(value, 4);
