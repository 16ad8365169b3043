import { formatMoney, isCurrency, minorDigits, MoneyFormatError, parseMoney } from './money';

describe('Money', () => {
  it.each([
    { value: 29.99, currency: 'EUR', minor: 2999 },
    { value: '29.99', currency: 'EUR', minor: 2999 },
    { value: '0.1', currency: 'USD', minor: 10 },
    { value: 0, currency: 'EUR', minor: 0 },
    { value: '1000', currency: 'JPY', minor: 1000 },
    { value: 0.07, currency: 'EUR', minor: 7 },
    { value: '1.234', currency: 'BHD', minor: 1234 },
    // Sums made in binary floating point: within a millionth of a minor unit.
    { value: '7214.0599999999995', currency: 'EUR', minor: 721406 },
    { value: 7214.0599999999995, currency: 'EUR', minor: 721406 },
    { value: '0.30000000000000004', currency: 'EUR', minor: 30 },
    { value: 0.1 + 0.2, currency: 'EUR', minor: 30 },
    { value: 0.1 + 0.7, currency: 'USD', minor: 80 },
    { value: '29.9900000099', currency: 'EUR', minor: 2999 },
    { value: '29.9899999901', currency: 'EUR', minor: 2999 },
    { value: '0.9999999999999', currency: 'EUR', minor: 100 },
    { value: 1e-9, currency: 'EUR', minor: 0 },
    { value: '1000.0000000001', currency: 'JPY', minor: 1000 },
  ])('parses $value $currency exactly into $minor minor units', ({ value, currency, minor }) => {
    expect(parseMoney(value, currency)).toBe(minor);
  });

  it.each([
    { value: -1, reason: 'must not be negative' },
    { value: '-0.50', reason: 'must not be negative' },
    { value: '29.999', reason: 'more than 2 decimal places' },
    { value: 29.999, reason: 'more than 2 decimal places' },
    { value: '0.305', reason: 'more than 2 decimal places' },
    { value: 0.305, reason: 'more than 2 decimal places' },
    // A millionth of a minor unit away, or more: not a rounding artefact.
    { value: '29.99000001', reason: 'more than 2 decimal places' },
    { value: '29.98999999', reason: 'more than 2 decimal places' },
    { value: 1e-7, reason: 'more than 2 decimal places' },
    { value: '1000000.01', reason: 'at most' },
    { value: 'abc', reason: 'decimal amount' },
    { value: '1e3', reason: 'decimal amount' },
    { value: 1e21, reason: 'at most' },
    { value: Number.NaN, reason: 'finite' },
    { value: null, reason: 'number or a decimal string' },
    { value: '1000001', reason: 'at most' },
  ])('rejects $value ($reason)', ({ value, reason }) => {
    expect(() => parseMoney(value, 'EUR')).toThrow(MoneyFormatError);
    expect(() => parseMoney(value, 'EUR')).toThrow(reason);
  });

  it('knows ISO 4217 codes and their minor digits', () => {
    expect(isCurrency('EUR')).toBe(true);
    expect(isCurrency('eur')).toBe(false);
    expect(isCurrency('XYZ')).toBe(false);
    expect(minorDigits('USD')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
  });

  it('formats minor units with the currency digits', () => {
    expect(formatMoney(2999, 'EUR')).toBe('29.99');
    expect(formatMoney(5, 'EUR')).toBe('0.05');
    expect(formatMoney(1000, 'JPY')).toBe('1000');
  });
});
