// The unmodified ccxt Backpack client's fetchCurrencies, fetchDepositAddress and fetchDeposits against
// real processes: `glassbook serve --demo`, `glassbook deposit-addresses --submit` recording account 1's
// addresses at the exchange, `glassbook chain-sim`, and `glassbook chain-watch --addresses-from sim`
// crediting a faucet transfer to account 1's BTC address once it has its confirmations.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import ccxt from 'ccxt';

import { startServer, sleep, toUnits, waitFor, ASSET_DECIMALS } from './harness.mjs';

const run = promisify(execFile);
const T = { timeout: 60_000 };

describe('ccxt deposit address and deposits against Glassbook', { timeout: 300_000 }, () => {
  let srv;
  let chain;       // the chain-sim process
  let watch;       // the chain-watch process
  let chainUrl;
  let watchLog = '';
  let A;           // ccxt client of account 1
  let B;           // ccxt client of account 2, which has no address recorded
  let account;     // account 1's id

  const glassbook = (args) => run(srv.bin, args, { timeout: 30_000 });
  const rpc = async (method, params) => {
    const r = await fetch(`${chainUrl}/`, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
    const body = await r.json();
    if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
    return body.result;
  };
  const client = (acct) => {
    const ex = new ccxt.backpack({ apiKey: acct.apiKey, secret: acct.secret, timeout: 10_000 });
    ex.urls.api.public = srv.url;
    ex.urls.api.private = srv.url;
    return ex;
  };

  before(async () => {
    srv = await startServer({ accounts: 2 });
    account = srv.accounts[0].account;
    const ready = path.join(srv.root, 'chain.ready');
    chain = spawn(srv.bin, ['chain-sim', '--port', '0', '--state', path.join(srv.root, 'chain.state'), '--ready-file', ready],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    await waitFor('chain-sim ready', () => fs.existsSync(ready) && fs.readFileSync(ready, 'utf8').trim().length > 0, 30_000);
    chainUrl = fs.readFileSync(ready, 'utf8').trim().split(' ')[0];
    // Account 1's addresses: every demo asset on the simulated chain, and USDC on Ethereum.
    await glassbook(['deposit-addresses', '--demo', '--account', String(account), '--submit', srv.url]);
    await glassbook(['deposit-addresses', '--demo', '--eth', '--account', String(account), '--asset', 'USDC', '--submit', srv.url]);
    watch = spawn(srv.bin, ['chain-watch', '--demo', '--chain', chainUrl, '--url', srv.url, '--addresses-from', 'sim',
      '--cursor', path.join(srv.root, 'watch.cursor'), '--confirmations', '2', '--interval', '0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
    watch.stdout.on('data', (d) => { watchLog += d; });
    watch.stderr.on('data', (d) => { watchLog += d; });
    A = client(srv.accounts[0]);
    B = client(srv.accounts[1]);
    await A.loadMarkets();
    await B.loadMarkets();
  });

  after(async () => {
    for (const p of [watch, chain]) if (p && p.exitCode === null) p.kill('SIGTERM');
    await sleep(200);
    if (srv) await srv.stop();
  });

  it('fetchCurrencies lists the chains where deposits are taken, and withdrawals (the demo has a custodian)', T, async () => {
    const currencies = await A.fetchCurrencies();
    const usdc = currencies.USDC;
    assert.ok(usdc, 'USDC is listed');
    const ids = Object.values(usdc.networks).map((n) => n.id).sort();
    assert.deepEqual(ids, ['Ethereum', 'sim']);
    for (const n of Object.values(usdc.networks)) {
      assert.equal(n.deposit, true);
      assert.equal(n.withdraw, true);
    }
  });

  it('fetchDepositAddress answers the recorded address, and a clear refusal without one', T, async () => {
    const recorded = await (await fetch(`${srv.url}/api/v1/glassbook/depositAddresses?blockchain=Ethereum`)).json();
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0].account, account);
    const usdc = await A.fetchDepositAddress('USDC', { network: 'ERC20' }); // ccxt's name for Backpack's Ethereum
    assert.equal(usdc.address, recorded[0].address);
    assert.equal(usdc.currency, 'USDC');
    // On the simulated chain account 1 has an address per asset: it names the one it wants.
    const sim = await (await fetch(`${srv.url}/api/v1/glassbook/depositAddresses?blockchain=sim`)).json();
    const btcAddress = sim.find((e) => e.symbol === 'BTC' && e.account === account).address;
    const btc = await A.fetchDepositAddress('BTC', { network: 'sim', symbol: 'BTC' });
    assert.equal(btc.address, btcAddress);
    await assert.rejects(A.fetchDepositAddress('BTC', { network: 'sim' }), /name one with symbol/);
    await assert.rejects(B.fetchDepositAddress('USDC', { network: 'ERC20' }), /no deposit address on Ethereum/);
  });

  it('a transfer on chain is credited once and fetchDeposits shows it', T, async () => {
    const sim = await (await fetch(`${srv.url}/api/v1/glassbook/depositAddresses?blockchain=sim`)).json();
    const btcAddress = sim.find((e) => e.symbol === 'BTC' && e.account === account).address;
    const before = await A.fetchDeposits('BTC');
    const since = Date.now();
    await rpc('sim_faucet', { address: btcAddress, asset: 'BTC', amount: '12345678' });
    await rpc('sim_mine', { blocks: 2 });
    const credited = await waitFor(`the deposit credited (watcher: ${watchLog})`, async () => {
      const d = await A.fetchDeposits('BTC', since);
      return d.length === 1 ? d : null;
    }, 30_000);
    const [d] = credited;
    assert.equal(d.currency, 'BTC');
    assert.equal(d.status, 'ok');
    assert.equal(toUnits(d.amount.toFixed(ASSET_DECIMALS.BTC), ASSET_DECIMALS.BTC), 12345678n);
    assert.ok(d.timestamp >= since - 1000, `created ${d.datetime}, after the transfer`);
    const all = await A.fetchDeposits('BTC');
    assert.equal(all.length, before.length + 1);
    assert.equal((await A.fetchDeposits('BTC', Date.now() + 60_000)).length, 0);
    const bal = await A.fetchBalance();
    assert.equal(toUnits(bal.BTC.total.toFixed(ASSET_DECIMALS.BTC), ASSET_DECIMALS.BTC), 1_000_000_000n + 12345678n);
  });
});
