// The journal seqs of the orders this browser placed (from each order answer's journalSeq), kept per
// key so the Transparency page can ask for, and verify, each one's inclusion proof.
const STORE = "glassbook.orders";

export interface PlacedOrder { key: string; seq: number; orderId: string; symbol: string; what: string }

export function placedOrders(key: string | null): PlacedOrder[] {
  try {
    const all = JSON.parse(localStorage.getItem(STORE) ?? "[]") as PlacedOrder[];
    return all.filter((o) => o.key === key);
  } catch {
    return [];
  }
}

export function rememberOrder(order: PlacedOrder): void {
  let all: PlacedOrder[] = [];
  try {
    all = JSON.parse(localStorage.getItem(STORE) ?? "[]") as PlacedOrder[];
  } catch { /* start afresh */ }
  all.push(order);
  localStorage.setItem(STORE, JSON.stringify(all.slice(-200)));  // a bounded list: the newest 200
}
