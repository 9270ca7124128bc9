/**
 * Money is integer paise inside Passbook (safe as a JS number up to ±9·10^13 rupees) and
 * rupees with two decimals on the wire.
 */

export interface ParsedAmount {
  paise: number;
  /** Sign given by a Dr/Cr marker (or a leading minus), when the text carries one. */
  marker: 'dr' | 'cr' | null;
}

/**
 * Parses amounts as Indian statements print them: lakh or western grouping (`1,09,550.00`,
 * `109,550.00`), optional `₹`/`Rs.`/`INR`, `Dr`/`Cr` suffixes with or without brackets, a
 * leading or trailing minus or parentheses for negatives, a leading plus for credits. Returns null for anything that is not an amount.
 */
export function parseAmount(text: string): ParsedAmount | null {
  // A sign may stand before the currency ("- Rs.3,980.45"). Fonts without a rupee sign print
  // it as another glyph: "`" (the Rupee Foradian font), "¹" (WinAnsi's byte for U+20B9), a box.
  let t = text.trim().replace(/^([-+]?)\s*(₹|rs\.?|inr|[`¹□\uFFFD\p{Co}])\s*/iu, '$1');
  let marker: 'dr' | 'cr' | null = null;
  const suffix = /\s*\(?\s*(dr|cr)\.?\s*\)?$/i.exec(t);
  if (suffix) {
    marker = suffix[1]!.toLowerCase() as 'dr' | 'cr';
    t = t.slice(0, suffix.index).trim();
  }
  let negative = false;
  if (/^\(.*\)$/.test(t)) {
    negative = true;
    t = t.slice(1, -1).trim();
  }
  if (t.startsWith('-') || (t.endsWith('-') && t.length > 1)) {
    // A leading or trailing minus: signed amount columns print either.
    negative = true;
    t = (t.startsWith('-') ? t.slice(1) : t.slice(0, -1)).trim();
  } else if (t.startsWith('+')) {
    marker ??= 'cr';
    t = t.slice(1).trim();
  }
  if (!/^\d{1,3}(,\d{2,3})*(\.\d{1,2})?$|^\d+(\.\d{1,2})?$/.test(t)) return null;
  const [whole, fraction = ''] = t.replace(/,/g, '').split('.');
  const paise = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(paise)) return null;
  if (negative && marker === null) marker = 'dr';
  return { paise, marker };
}

/** A table cell's amount: null when the cell is empty, a dash, or not an amount. */
export function parseAmountCell(text: string | undefined): ParsedAmount | null {
  return text && !/^[\s\-–—]*$/.test(text) ? parseAmount(text) : null;
}

/** A signed paise value from a parsed balance: Dr (or minus) means negative (overdrawn). */
export function signedBalance(amount: ParsedAmount): number {
  return amount.marker === 'dr' ? -amount.paise : amount.paise;
}

/** Rupees with two decimals, as a JSON number (e.g. 109550.5). */
export function toRupees(paise: number): number {
  return Number((paise / 100).toFixed(2));
}

/** Like toRupees, keeping an absent amount absent. */
export function toRupeesOrNull(paise: number | null): number | null {
  return paise === null ? null : toRupees(paise);
}

/** `1,09,550.00`: Indian digit grouping, for rendering statements. */
export function formatIndian(paise: number): string {
  const abs = Math.abs(paise);
  const rupees = Math.floor(abs / 100).toString();
  const fraction = String(abs % 100).padStart(2, '0');
  const last3 = rupees.slice(-3);
  const rest = rupees.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  return `${paise < 0 ? '-' : ''}${rest ? `${rest},${last3}` : last3}.${fraction}`;
}
