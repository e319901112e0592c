// The demo's sign-up and faucet. A key signs its own RegisterAccount (the gateway takes it when the
// exchange opens registration, as the demo does); the demo's chain watcher, whose key derives from
// the public label "demo/chain-watcher" (src/app/demo_accounts.cpp), attests deposits of test funds.
// On any exchange whose watcher key is secret, the faucet is refused with UNAUTHORIZED, as it should be.
import { sha256 } from "@noble/hashes/sha2.js";
import { postCommand } from "./api";
import { depositBytes, registerAccountBytes, signedCommandBody, timedRoleBytes } from "./lib/commands";
import { utf8 } from "./lib/bytes";
import { publicKeyOf } from "./lib/ed25519";

const DEMO_WATCHER_SEED = sha256(utf8("demo/chain-watcher"));

// What one press of the faucet credits, by the demo's asset ids (BTC 0, SOL 1, USDC 2) in smallest units.
export const FAUCET = [
  { asset: 0, symbol: "BTC", amount: 1n * 10n ** 8n, text: "1 BTC" },
  { asset: 1, symbol: "SOL", amount: 100n * 10n ** 9n, text: "100 SOL" },
  { asset: 2, symbol: "USDC", amount: 100_000n * 10n ** 6n, text: "100,000 USDC" },
];

export async function signUp(seed: Uint8Array): Promise<number> {
  const answer = await postCommand(signedCommandBody(registerAccountBytes(publicKeyOf(seed)), seed));
  if (answer.account === undefined) throw new Error("the exchange did not name the new account");
  return answer.account;
}

// A deposit id the demo's own fundings never use: the top bit set, the rest random.
function freshDepositId(): bigint {
  const words = crypto.getRandomValues(new Uint32Array(2));
  return (1n << 63n) | (BigInt(words[0] & 0x7fffffff) << 32n) | BigInt(words[1]);
}

export async function faucet(account: number): Promise<void> {
  for (const f of FAUCET) {
    const deposit = depositBytes(account, f.asset, f.amount, freshDepositId());
    const nowUs = BigInt(Date.now()) * 1000n;
    await postCommand(signedCommandBody(timedRoleBytes(nowUs, deposit), DEMO_WATCHER_SEED));
  }
}
