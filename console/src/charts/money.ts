/** Rupees as Indian readers write them: ₹1,23,456.50, and on an axis ₹1.2 L. */

const exact = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const whole = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR', maximumFractionDigits: 0 });
const plain = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 1 });

/** ₹1,23,456.50 (to the paisa: the figures of a statement). */
export function rupees(amount: number): string {
  return exact.format(amount);
}

/** ₹1,23,457 (rounded to the rupee: a summary). */
export function rupeesWhole(amount: number): string {
  return whole.format(amount);
}

/** A short form for axis labels: ₹0, ₹950, ₹12 K, ₹1.5 L, ₹2.3 Cr (K thousand, L lakh, Cr crore). */
export function rupeesShort(amount: number): string {
  const sign = amount < 0 ? '−' : '';
  const a = Math.abs(amount);
  if (a >= 1e7) return `${sign}₹${plain.format(a / 1e7)} Cr`;
  if (a >= 1e5) return `${sign}₹${plain.format(a / 1e5)} L`;
  if (a >= 1e3) return `${sign}₹${plain.format(a / 1e3)} K`;
  return `${sign}₹${plain.format(a)}`;
}
