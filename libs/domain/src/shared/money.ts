/**
 * Money is held as integer minor units (cents) with an ISO 4217 currency.
 * Clients send a JSON number or a decimal string; both are parsed exactly,
 * digit by digit, so 0.1 + 0.2 never becomes 0.30000000000000004.
 */
export const DEFAULT_CURRENCY = 'EUR';

/** Largest unit price we accept, in major units; keeps every order total a safe integer. */
export const MAX_UNIT_PRICE_MAJOR = 1_000_000;

const supportedCurrencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
const minorDigitsCache = new Map<string, number>();

export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && supportedCurrencies.has(code);
}

export function minorDigits(currency: string): number {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

export class MoneyFormatError extends Error {
  override readonly name = 'MoneyFormatError';
}

const DECIMAL = /^(\d{1,15})(?:\.(\d+))?$/;

/** Parses `29.99` or `"29.99"` into minor units; throws MoneyFormatError with a reason. */
export function parseMoney(value: unknown, currency: string): number {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MoneyFormatError('must be a finite number');
    // The shortest round-trip representation: 29.99 stays "29.99".
    text = String(value);
    if (/e/i.test(text)) throw new MoneyFormatError('must be a plain decimal amount');
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    throw new MoneyFormatError('must be a number or a decimal string');
  }
  if (text.startsWith('-')) throw new MoneyFormatError('must not be negative');
  const match = DECIMAL.exec(text);
  if (!match) throw new MoneyFormatError('must be a decimal amount such as 29.99');
  const digits = minorDigits(currency);
  const [, whole, fraction = ''] = match;
  if (fraction.length > digits) {
    throw new MoneyFormatError(`has more than ${digits} decimal places for ${currency}`);
  }
  if (Number(whole) > MAX_UNIT_PRICE_MAJOR) throw new MoneyFormatError(`must be at most ${MAX_UNIT_PRICE_MAJOR}`);
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** Formats minor units as a decimal string with the currency's digits: 2999 → "29.99". */
export function formatMoney(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
