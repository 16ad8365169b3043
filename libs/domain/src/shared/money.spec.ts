import { formatMoney, isCurrency, minorDigits, MoneyFormatError, parseMoney } from './money';

describe('Money', () => {
  it.each([
    [29.99, 'EUR', 2999],
    ['29.99', 'EUR', 2999],
    ['0.1', 'USD', 10],
    [0, 'EUR', 0],
    ['1000', 'JPY', 1000],
    [0.07, 'EUR', 7],
    ['1.234', 'BHD', 1234],
    // Sums made in binary floating point: within a millionth of a minor unit.
    ['7214.0599999999995', 'EUR', 721406],
    [7214.0599999999995, 'EUR', 721406],
    ['0.30000000000000004', 'EUR', 30],
    [0.1 + 0.2, 'EUR', 30],
    [0.1 + 0.7, 'USD', 80],
    ['29.9900000099', 'EUR', 2999],
    ['29.9899999901', 'EUR', 2999],
    ['0.9999999999999', 'EUR', 100],
    [1e-9, 'EUR', 0],
    ['1000.0000000001', 'JPY', 1000],
  ])('parses %p %s exactly into %p minor units', (value, currency, minor) => {
    expect(parseMoney(value, currency)).toBe(minor);
  });

  it.each([
    [-1, 'must not be negative'],
    ['-0.50', 'must not be negative'],
    ['29.999', 'more than 2 decimal places'],
    [29.999, 'more than 2 decimal places'],
    ['0.305', 'more than 2 decimal places'],
    [0.305, 'more than 2 decimal places'],
    // A millionth of a minor unit away, or more: not a rounding artefact.
    ['29.99000001', 'more than 2 decimal places'],
    ['29.98999999', 'more than 2 decimal places'],
    [1e-7, 'more than 2 decimal places'],
    ['1000000.01', 'at most'],
    ['abc', 'decimal amount'],
    ['1e3', 'decimal amount'],
    [1e21, 'at most'],
    [Number.NaN, 'finite'],
    [null, 'number or a decimal string'],
    ['1000001', 'at most'],
  ])('rejects %p (%s)', (value, reason) => {
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
