// Exact decimals for money: strings and BigInt units, never floating point, formatted per tick and step.

// Digits after the point of a tick or step ("0.01" -> 2, "1" -> 0).
export function decimalsOf(step: string): number {
  const dot = step.indexOf(".");
  return dot < 0 ? 0 : step.length - dot - 1;
}

// "12.5" at 2 decimals -> 1250n. Throws with the reason for anything that is not such a decimal.
export function toUnits(text: string, decimals: number): bigint {
  const t = text.trim();
  const m = /^(-?)([0-9]+)(?:\.([0-9]*))?$/.exec(t);
  if (!m) throw new Error(`"${text}" is not a decimal number`);
  const frac = m[3] ?? "";
  const significant = frac.replace(/0+$/, "");
  if (significant.length > decimals) throw new Error(`"${text}" has more than ${decimals} decimals`);
  const units = BigInt(m[2] + frac.padEnd(decimals, "0").slice(0, decimals));
  return m[1] === "-" ? -units : units;
}

export function fromUnits(units: bigint, decimals: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals);
  return (negative ? "-" : "") + whole + (decimals > 0 ? "." + frac : "");
}

// A decimal string from the API shown at exactly `decimals` places (cut toward zero, or padded).
export function formatDecimal(value: string | null | undefined, decimals: number): string {
  if (value === null || value === undefined || value === "") return "–";
  const m = /^(-?)([0-9]+)(?:\.([0-9]*))?$/.exec(value);
  if (!m) return value;
  const frac = (m[3] ?? "").padEnd(decimals, "0").slice(0, decimals);
  const whole = m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return m[1] + whole + (decimals > 0 ? "." + frac : "");
}

// A fraction ("0.0123") as a percentage with two decimals ("1.23 %"), exactly.
export function formatPercent(fraction: string | null | undefined): string {
  if (fraction === null || fraction === undefined || fraction === "") return "–";
  const units = toUnits(fraction.replace(/^(-?[0-9]+\.[0-9]{0,20}).*$/, "$1"), 20);
  const hundredths = (units * 10000n) / 10n ** 20n;  // percent * 100, cut toward zero
  return fromUnits(hundredths, 2) + " %";
}

// The base quantity that `quote` buys at `price`, cut down to a multiple of the step.
export function quoteToBase(quote: string, price: string, priceDecimals: number, step: string): string {
  const baseDecimals = decimalsOf(step);
  const q = toUnits(quote, 18);
  const p = toUnits(price, priceDecimals);
  if (p <= 0n) throw new Error("no price to convert the quote amount with");
  const base = (q * 10n ** BigInt(priceDecimals + baseDecimals)) / (p * 10n ** 18n);
  const stepUnits = toUnits(step, baseDecimals);
  return fromUnits(base - (base % stepUnits), baseDecimals);
}

// Throws unless `value` is a positive multiple of `step` (both decimal strings).
export function checkMultiple(what: string, value: string, step: string): void {
  const d = decimalsOf(step);
  const v = toUnits(value, d);
  if (v <= 0n) throw new Error(`${what} must be positive`);
  if (v % toUnits(step, d) !== 0n) throw new Error(`${what} ${value} is not a multiple of ${step}`);
}
