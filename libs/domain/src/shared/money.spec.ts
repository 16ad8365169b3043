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
  ])('parses %p %s exactly into %p minor units', (value, currency, minor) => {
    expect(parseMoney(value, currency)).toBe(minor);
  });

  it.each([
    [-1, 'must not be negative'],
    ['-0.50', 'must not be negative'],
    ['29.999', 'more than 2 decimal places'],
    [29.999, 'more than 2 decimal places'],
    ['abc', 'decimal amount'],
    ['1e3', 'decimal amount'],
    [1e21, 'plain decimal'],
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
