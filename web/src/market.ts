// The markets as GET /api/v1/markets describes them, loaded once, with their tick and step precisions.
import { get } from "./api";
import { decimalsOf } from "./lib/decimal";

export interface Market {
  symbol: string;
  baseSymbol: string;
  quoteSymbol: string;
  marketType: "SPOT" | "PERP";
  fundingInterval?: number;
  filters: { price: { tickSize: string }; quantity: { stepSize: string; minQuantity: string } };
}

export interface Precision { price: number; quantity: number }

let markets: Market[] = [];

export async function loadMarkets(): Promise<Market[]> {
  markets = await get<Market[]>("/api/v1/markets");
  return markets;
}

export const allMarkets = (): Market[] => markets;
export const findMarket = (symbol: string): Market | undefined => markets.find((m) => m.symbol === symbol);
export const precisionOf = (m: Market): Precision => ({
  price: decimalsOf(m.filters.price.tickSize),
  quantity: decimalsOf(m.filters.quantity.stepSize),
});
export const isPerp = (m: Market): boolean => m.marketType === "PERP";
