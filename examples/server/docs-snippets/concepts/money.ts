import { addMoney, decimalToMinor, formatMoney, minorToDecimal, money } from '@finkit/core';

export async function main() {
  return {
    cents: decimalToMinor('12.34', 'USD'), // 1234
    noFloatDrift: decimalToMinor(0.1 + 0.2, 'USD'), // 30, not 30.000000000000004
    yen: decimalToMinor('1500', 'JPY'), // 1500: JPY has no minor unit
    dinar: decimalToMinor('1.5', 'BHD'), // 1500: BHD has three decimals
    halfEven: decimalToMinor('0.125', 'USD'), // 12: extra digits round half to even
    spent: formatMoney(money(-1230, 'USD')), // '-$12.30': negative is money out
    received: formatMoney(money(1500, 'JPY')), // '¥1,500'
    decimal: minorToDecimal(-1230, 'USD'), // '-12.30'
    total: addMoney(money(-1230, 'USD'), money(5000, 'USD')), // { amount: 3770, currency: 'USD' }
  };
}
