// The gateway's WebSocket: subscriptions that survive reconnects (after a server restart, say), and
// the connection state shown in the page's header.
import { serverNow } from "./api";
import { currentSeed } from "./keys";
import { subscriptionSignature } from "./lib/signing";

type Handler = (data: Record<string, unknown>) => void;
type State = "connecting" | "live" | "reconnecting";

export class Stream {
  private ws: WebSocket | null = null;
  private handlers = new Map<string, Set<Handler>>();
  private retryMs = 250;
  private connectedOnce = false;
  private closed = false;
  state: State = "connecting";
  onState: (state: State, note: string) => void = () => {};
  onReconnect: () => void = () => {};

  constructor(private readonly url: string) {
    this.open();
  }

  // Subscribes to a stream ("depth.SOL_USDC", or "account.orderUpdate", which is signed); returns the unsubscribe.
  on(stream: string, handler: Handler): () => void {
    let set = this.handlers.get(stream);
    if (!set) {
      set = new Set();
      this.handlers.set(stream, set);
      this.send("SUBSCRIBE", [stream]);
    }
    set.add(handler);
    return () => {
      set!.delete(handler);
      if (set!.size === 0) {
        this.handlers.delete(stream);
        this.send("UNSUBSCRIBE", [stream]);
      }
    };
  }

  close(): void {
    this.closed = true;
    this.ws?.close();
  }

  private send(method: string, params: string[]): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return;  // sent again on (re)connect
    for (const p of params) {
      const msg: Record<string, unknown> = { method, params: [p] };
      if (p.startsWith("account.")) {
        const seed = currentSeed();
        if (!seed) continue;
        msg.signature = subscriptionSignature(seed, serverNow(), 5000);
      }
      this.ws.send(JSON.stringify(msg));
    }
  }

  private open(): void {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      const again = this.connectedOnce;
      this.connectedOnce = true;
      this.retryMs = 250;
      this.state = "live";
      this.onState("live", again ? "reconnected to the server" : "connected");
      this.send("SUBSCRIBE", [...this.handlers.keys()]);
      if (again) this.onReconnect();
    };
    ws.onmessage = (ev) => {
      let msg: { stream?: string; data?: Record<string, unknown> };
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (!msg.stream || !msg.data) return;
      for (const h of this.handlers.get(msg.stream) ?? []) h(msg.data);
    };
    ws.onclose = () => {
      if (this.closed) return;
      this.state = "reconnecting";
      this.onState("reconnecting", `connection lost; reconnecting in ${(this.retryMs / 1000).toFixed(1)} s`);
      setTimeout(() => this.open(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 4000);
    };
  }
}
