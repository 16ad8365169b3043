/**
 * Money is held as integer minor units (cents) with an ISO 4217 currency.
 * Clients send a JSON number or a decimal string; both are parsed exactly,
 * digit by digit, never through floating-point arithmetic.
 *
 * Clients that add prices in binary floating point send sums such as
 * "7214.0599999999995" or 0.30000000000000004. A value less than a millionth
 * of a minor unit away from a whole number of minor units is taken as that
 * amount; anything else finer than the currency's minor unit is refused.
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

/** How close (in minor units) a finer value must be to a whole minor amount to be taken as it: 10^-6. */
const TOLERANCE_DIGITS = 6;

/** The fraction may carry a binary-floating-point tail; the bound is checked on the value. */
const DECIMAL = /^(\d{1,40})(?:\.(\d{1,40}))?$/;
const EXPONENTIAL = /^(\d)(?:\.(\d+))?e([+-]\d+)$/;

/** A JSON number's shortest round-trip text as a plain decimal: 1e-7 becomes "0.0000001". */
function plainDecimal(value: number): string {
  const text = String(value);
  const match = EXPONENTIAL.exec(text);
  if (!match) return text;
  const [, lead, rest = '', exponentText] = match;
  const digits = lead + rest;
  const point = 1 + Number(exponentText); // where the decimal point falls within `digits`
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * Rounds the digits past the minor unit (a fraction of one minor unit, as text)
 * to 0 or 1 when within the tolerance; null when it is further from both.
 */
function roundingOfExcess(excess: string): 0 | 1 | null {
  if (excess === '' || /^0*$/.test(excess)) return 0;
  // excess / 10^k < 10^-t  <=>  excess * 10^t < 10^k, all in exact integers.
  const scale = 10n ** BigInt(excess.length);
  const scaled = BigInt(excess) * 10n ** BigInt(TOLERANCE_DIGITS);
  if (scaled < scale) return 0;
  if (scale * 10n ** BigInt(TOLERANCE_DIGITS) - scaled < scale) return 1;
  return null;
}

/** Parses `29.99` or `"29.99"` into minor units; throws MoneyFormatError with a reason. */
export function parseMoney(value: unknown, currency: string): number {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MoneyFormatError('must be a finite number');
    // The shortest round-trip representation: 29.99 stays "29.99".
    text = plainDecimal(value);
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
  const carry = roundingOfExcess(fraction.slice(digits));
  if (carry === null) throw new MoneyFormatError(`has more than ${digits} decimal places for ${currency}`);
  const minor = Number(whole) * 10 ** digits + Number(fraction.slice(0, digits).padEnd(digits, '0') || '0') + carry;
  if (minor > MAX_UNIT_PRICE_MAJOR * 10 ** digits) {
    throw new MoneyFormatError(`must be at most ${MAX_UNIT_PRICE_MAJOR}`);
  }
  return minor;
}

/** Formats minor units as a decimal string with the currency's digits: 2999 → "29.99". */
export function formatMoney(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
