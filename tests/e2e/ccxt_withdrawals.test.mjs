// The unmodified ccxt Backpack client's withdraw and fetchWithdrawals (with fetchDepositAddress and
// fetchDeposits) against real processes: `glassbook serve --demo`, `glassbook chain-sim`, `glassbook
// chain-watch --addresses-from sim` and `glassbook custodian --demo --broadcast`. An address is put
// on the allow-list over HTTP (POST /api/v1/glassbook/withdrawalAddresses); ccxt's withdrawal to it is
// approved, broadcast and confirmed, and the simulated chain shows the funds at the address. The
// account's WebSocket streams (account.depositUpdate, account.withdrawalUpdate) report each step.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import ccxt from 'ccxt';
import WebSocket from 'ws';

import { startServer, sleep, toUnits, sign, signedFetch, waitFor, withTimeout, ASSET_DECIMALS } from './harness.mjs';

const run = promisify(execFile);
const T = { timeout: 90_000 };

// A process whose output is kept for error messages.
function startProcess(bin, args) {
  const p = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  p.log = '';
  p.stdout.on('data', (d) => { p.log += d; });
  p.stderr.on('data', (d) => { p.log += d; });
  return p;
}

describe('ccxt withdrawals against Glassbook with a custodian on a simulated chain', { timeout: 300_000 }, () => {
  let srv;
  let chain;      // chain-sim
  let watch;      // chain-watch
  let custodian;  // custodian --broadcast
  let chainUrl;
  let A;          // ccxt client of the account
  let acct;       // the account's keys
  let ws;         // the account's WebSocket, subscribed to its custody streams
  const frames = [];

  const rpc = async (method, params) => {
    const r = await fetch(`${chainUrl}/`, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
    const body = await r.json();
    if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
    return body.result;
  };
  const logs = () => `\n--- watcher ---\n${watch.log.slice(-3000)}\n--- custodian ---\n${custodian.log.slice(-3000)}`;
  const events = (stream) => frames.filter((f) => f.stream === stream).map((f) => ({ ...f.data, raw: f.raw }));

  before(async () => {
    srv = await startServer({ accounts: 1 });
    acct = srv.accounts[0];
    const ready = path.join(srv.root, 'chain.ready');
    chain = startProcess(srv.bin, ['chain-sim', '--port', '0', '--state', path.join(srv.root, 'chain.state'), '--ready-file', ready]);
    await waitFor('chain-sim ready', () => fs.existsSync(ready) && fs.readFileSync(ready, 'utf8').trim().length > 0);
    chainUrl = fs.readFileSync(ready, 'utf8').trim().split(' ')[0];
    // The account's deposit addresses on the simulated chain: what makes it a chain the exchange serves.
    await run(srv.bin, ['deposit-addresses', '--demo', '--account', String(acct.account), '--submit', srv.url], { timeout: 30_000 });
    watch = startProcess(srv.bin, ['chain-watch', '--demo', '--chain', chainUrl, '--url', srv.url, '--addresses-from', 'sim',
      '--cursor', path.join(srv.root, 'watch.cursor'), '--confirmations', '2', '--interval', '0.1']);
    custodian = startProcess(srv.bin, ['custodian', '--demo', '--broadcast', '--chain', chainUrl, '--url', srv.url, '--interval', '0.1']);
    const wallet = await waitFor('the custodian started', () => /from wallet ([0-9a-f]{40})/.exec(custodian.log)?.[1]);
    await rpc('sim_faucet', { address: wallet, asset: 'BTC', amount: '100000000' }); // 1 BTC to pay withdrawals from
    await rpc('sim_mine', { blocks: 1 });

    ws = new WebSocket(srv.ws);
    ws.on('message', (data) => {
      const json = JSON.parse(data.toString());
      if (json.error) throw new Error(`WebSocket error: ${JSON.stringify(json)}`);
      json.raw = data.toString(); // a deposit id is 64 bits: beyond what a JavaScript number holds exactly
      frames.push(json);
    });
    await withTimeout(new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); }), 5_000, 'ws open');
    const ts = Date.now();
    ws.send(JSON.stringify({
      method: 'SUBSCRIBE',
      params: ['account.withdrawalUpdate', 'account.depositUpdate'],
      signature: [acct.apiKey, sign(acct.secret, `instruction=subscribe&timestamp=${ts}&window=5000`), String(ts), '5000'],
    }));

    A = new ccxt.backpack({ apiKey: acct.apiKey, secret: acct.secret, timeout: 10_000 });
    A.urls.api.public = srv.url;
    A.urls.api.private = srv.url;
    await A.loadMarkets();
  });

  after(async () => {
    if (ws) ws.terminate();
    for (const p of [custodian, watch, chain]) if (p && p.exitCode === null) p.kill('SIGTERM');
    await sleep(200);
    if (srv) await srv.stop();
  });

  it('fetchDepositAddress and fetchDeposits: a transfer to the address is credited and streamed', T, async () => {
    const address = (await A.fetchDepositAddress('BTC', { network: 'sim', symbol: 'BTC' })).address;
    const since = Date.now();
    await rpc('sim_faucet', { address, asset: 'BTC', amount: '40000000' });
    await rpc('sim_mine', { blocks: 2 });
    const [d] = await waitFor(`the deposit credited${logs()}`, async () => {
      const list = await A.fetchDeposits('BTC', since);
      return list.length === 1 ? list : null;
    });
    assert.equal(d.status, 'ok');
    assert.equal(toUnits(d.amount.toFixed(8), 8), 40000000n);
    const credited = await waitFor('depositCredited on the stream', () => events('account.depositUpdate')[0]);
    assert.equal(credited.e, 'depositCredited');
    assert.equal(credited.symbol, 'BTC');
    assert.equal(credited.quantity, '0.4');
    assert.ok(credited.raw.includes(`"id":${d.id},`), `${credited.raw} names deposit ${d.id}`);
  });

  it('withdraw to an address allow-listed over HTTP reaches confirmed, and the chain holds the funds', T, async () => {
    const to = crypto.randomBytes(20).toString('hex'); // an address of the simulated chain
    const listed = await signedFetch(srv.url, acct, 'POST', '/api/v1/glassbook/withdrawalAddresses',
      { address: to, blockchain: 'sim' }, { instruction: 'withdrawalAddressAdd' });
    assert.equal(listed.status, 200, listed.text);
    assert.equal(listed.json.address, to);
    assert.equal(listed.json.status, 'usable'); // the demo has no cooling-off
    // The same again is refused, and an address of another form too.
    const again = await signedFetch(srv.url, acct, 'POST', '/api/v1/glassbook/withdrawalAddresses',
      { address: to, blockchain: 'sim' }, { instruction: 'withdrawalAddressAdd' });
    assert.equal(again.status, 400);
    assert.match(again.json.message, /already on this account's allow-list/);

    const before = await A.fetchBalance();
    const w = await A.withdraw('BTC', 0.25, to, undefined, { network: 'sim' });
    assert.ok(w.id, `withdraw answered ${JSON.stringify(w)}`);
    assert.equal(w.status, 'pending');
    assert.equal(w.addressTo, to);
    assert.equal(w.currency, 'BTC');

    // The custodian approves and broadcasts it; two blocks later the chain watcher confirms it.
    const broadcast = await waitFor(`the withdrawal broadcast${logs()}`, async () => {
      const mine = (await A.fetchWithdrawals('BTC')).find((x) => x.id === w.id);
      return mine && mine.txid ? mine : null;
    });
    assert.equal(broadcast.status, 'pending');
    await rpc('sim_mine', { blocks: 2 });
    const done = await waitFor(`the withdrawal confirmed${logs()}`, async () => {
      const mine = (await A.fetchWithdrawals('BTC')).find((x) => x.id === w.id);
      return mine && mine.status === 'ok' ? mine : null;
    });
    assert.equal(done.txid, broadcast.txid);
    assert.equal(done.addressTo, to);
    assert.equal(done.network, 'sim');
    assert.equal(toUnits(done.amount.toFixed(8), 8), 25000000n);
    assert.equal(done.info.glassbookStatus, 'confirmed');

    // The funds arrived on the chain and left the account.
    assert.equal((await rpc('chain_getBalance', { address: to, asset: 'BTC' })).balance, '25000000');
    const after = await A.fetchBalance();
    assert.equal(toUnits(after.BTC.total.toFixed(ASSET_DECIMALS.BTC), 8), toUnits(before.BTC.total.toFixed(8), 8) - 25000000n);

    // Every step on the account's stream, in order, the broadcast with the chain's transaction.
    const steps = await waitFor('withdrawalConfirmed on the stream', () => {
      const list = events('account.withdrawalUpdate');
      return list.some((f) => f.e === 'withdrawalConfirmed') ? list : null;
    });
    assert.deepEqual(steps.map((f) => f.e), ['withdrawalAddressAdded', 'withdrawalRequested', 'withdrawalApproval', 'withdrawalApproved',
      'withdrawalBroadcast', 'withdrawalConfirmed']);
    assert.equal(steps[0].address, to);
    for (const f of steps.slice(1)) assert.equal(String(f.id), w.id);
    assert.equal(steps[4].transactionHash, done.txid);
    assert.equal(steps[5].status, 'confirmed');
  });
});
