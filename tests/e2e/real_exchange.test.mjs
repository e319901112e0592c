// A real exchange, not the demo: role keys from `glassbook keys new`, a genesis from `genesis init`,
// `serve --genesis`. Demo keys are refused, a large deposit waits for two of three chain watchers,
// the unmodified ccxt Backpack client trades, and a configuration change waits for its timelock.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ccxt from 'ccxt';

import { glassbookBinary, freshKey, privateKeyFromSeed, sleep, withTimeout, toUnits } from './harness.mjs';

const T = { timeout: 60_000 };
const PASS = 'real exchange e2e passphrase';
const BTC_ASSET = 0;
const USDC_ASSET = 2;
const bin = glassbookBinary();
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbook-real-'));
const env = { ...process.env, GB_PASS: PASS };
const file = (name) => path.join(root, name);

// Runs the glassbook command; returns { status, stdout, stderr }.
function gb(...args) {
  const r = spawnSync(bin, args, { env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
function gbOk(...args) {
  const r = gb(...args);
  assert.equal(r.status, 0, `glassbook ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
  return r;
}

// A role command through `glassbook role`: { status, body } of the gateway's answer.
function role(kind, key, ...args) {
  const signer = key.startsWith('demo/') ? ['--demo-signer', key] : ['--key', file(key), '--passphrase-env', 'GB_PASS'];
  const r = gb('role', kind, '--url', server.url, ...signer, ...args);
  const m = /^(\d+) (.*)$/s.exec(r.stdout.trim());
  assert.ok(m, `glassbook role ${kind}: no answer (${r.status}):\n${r.stderr}${r.stdout}`);
  return { exit: r.status, status: Number(m[1]), body: JSON.parse(m[2]) };
}
function deposit(key, account, asset, amount, id) {
  return role('deposit', key, '--account', String(account), '--asset', String(asset), '--amount', String(amount), '--deposit-id', String(id));
}

async function getJson(apiPath) {
  const res = await fetch(server.url + apiPath, { signal: AbortSignal.timeout(10_000) });
  assert.equal(res.status, 200, `GET ${apiPath}`);
  return res.json();
}

// An account registers itself: RegisterAccount signed by the key it binds (proof of possession).
async function register(account) {
  const pub = Buffer.from(account.apiKey, 'base64');
  const bytes = Buffer.concat([Buffer.from('glassbook/command/v1'), Buffer.from([0]), pub]);
  const signature = crypto.sign(null, bytes, privateKeyFromSeed(account.secret)).toString('base64');
  const res = await fetch(server.url + '/api/v1/glassbook/command', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ command: bytes.toString('base64'), signer: account.apiKey, signature }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body;
}

let server = null;

// Starts `glassbook serve --genesis`; resolves with { url, proc, output } once it listens.
async function serve() {
  const args = ['serve', '--genesis', file('genesis.toml'), '--data', file('data'), '--log-key', file('log.key'),
    '--passphrase-env', 'GB_PASS', '--port', '0'];
  const proc = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d) => { output += d; });
  proc.stderr.on('data', (d) => { output += d; });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /listening on (http:\/\/[0-9.:]+)/.exec(output);
    if (m) return { url: m[1], proc, exited, output: () => output };
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`serve did not start:\n${output}`);
    }
    await sleep(50);
  }
}
async function stop() {
  if (!server) return;
  server.proc.kill('SIGTERM');
  await withTimeout(server.exited, 10_000, 'serve to stop');
  server = null;
}

async function client(account) {
  const ex = new ccxt.backpack({ apiKey: account.apiKey, secret: account.secret, timeout: 10_000 });
  ex.urls.api.public = server.url;
  ex.urls.api.private = server.url;
  return ex;
}

describe('a real exchange from the key ceremony', () => {
  const keys = {};
  const alice = freshKey();
  const bob = freshKey();
  let aliceId = 0;
  let bobId = 0;

  before(async () => {
    for (const [name, r] of [['log', 'log'], ['op1', 'operator'], ['op2', 'operator'], ['op3', 'operator'],
      ['w1', 'chain-watcher'], ['w2', 'chain-watcher'], ['w3', 'chain-watcher'], ['oracle', 'oracle-source']]) {
      const out = gbOk('keys', 'new', '--role', r, '--out', file(`${name}.key`), '--passphrase-env', 'GB_PASS', '--kdf-cost', 'interactive');
      keys[name] = /^public key: +(\S+)$/m.exec(out.stdout)[1];
      assert.ok(!out.stdout.includes(PASS));
    }
    gbOk('genesis', 'init', '--out', file('genesis.toml'), '--log-key', file('log.key'),
      '--operator', file('op1.key'), '--operator', file('op2.key'), '--operator', file('op3.key'), '--operators-threshold', '2',
      '--chain-watcher', file('w1.key'), '--chain-watcher', file('w2.key'), '--chain-watcher', file('w3.key'),
      '--chain-watchers-threshold', '2', '--oracle-source', file('oracle.key'),
      '--config-timelock', '3600', '--large-deposit', 'BTC=1', '--large-deposit', 'USDC=10000');
    server = await serve();
    aliceId = (await register(alice)).account;
    bobId = (await register(bob)).account;
    assert.ok(aliceId > 0 && bobId > aliceId);
  });
  after(async () => {
    await stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('refuses a deposit signed with any demo key', T, async () => {
    for (const label of ['demo/chain-watcher', 'demo/log', 'demo/oracle/0', 'demo/api-account/0']) {
      const r = deposit(label, aliceId, BTC_ASSET, 1_000_000n * 100_000_000n, 1);
      assert.equal(r.status, 401, `${label}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, 'UNAUTHORIZED');
    }
    assert.deepEqual(await getJson('/api/v1/glassbook/pendingDeposits'), []);
  });

  it('credits a large deposit only at the second of two watchers, once', T, async () => {
    const first = deposit('w1.key', aliceId, BTC_ASSET, 5n * 100_000_000n, 1001);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.deposit, 'pending');
    assert.equal(first.body.attestations, 1);
    assert.equal(first.body.needed, 2);
    const pending = await getJson('/api/v1/glassbook/pendingDeposits');
    assert.equal(pending.length, 1);
    assert.equal(pending[0].depositId, 1001);
    assert.equal(pending[0].attesters[0], keys.w1);
    const A = await client(alice);
    assert.equal(toUnits(String((await A.fetchBalance()).BTC?.total ?? 0), 8), 0n, 'credited on one attestation');

    const again = deposit('w1.key', aliceId, BTC_ASSET, 5n * 100_000_000n, 1001);
    assert.equal(again.body.code, 'DUPLICATE_DEPOSIT', 'the same watcher counted twice');

    const second = deposit('w2.key', aliceId, BTC_ASSET, 5n * 100_000_000n, 1001);
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.equal(second.body.deposit, 'credited');
    assert.equal(toUnits(String((await A.fetchBalance()).BTC.total), 8), 5n * 100_000_000n);
    assert.deepEqual(await getJson('/api/v1/glassbook/pendingDeposits'), []);

    // A replay after it was credited is refused at the gateway and never journaled: the next
    // command's journal sequence number follows the credit's.
    const replay = deposit('w3.key', aliceId, BTC_ASSET, 5n * 100_000_000n, 1001);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.code, 'DUPLICATE_DEPOSIT');
    const next = await register(freshKey());
    assert.equal(next.journalSeq, second.body.journalSeq + 1, 'the refused replay reached the journal');
  });

  it('trades through the unmodified ccxt client', T, async () => {
    for (const w of ['w1.key', 'w2.key']) {
      const r = deposit(w, bobId, USDC_ASSET, 100_000n * 1_000_000n, 2001);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const A = await client(alice);
    const B = await client(bob);
    const ask = await A.createOrder('BTC/USDC', 'limit', 'sell', 0.01, 50000);
    assert.ok(ask.id);
    await B.createOrder('BTC/USDC', 'limit', 'buy', 0.01, 50000);
    const trades = await B.fetchMyTrades('BTC/USDC');
    assert.equal(trades.length, 1);
    assert.equal(trades[0].side, 'buy');
    const b = await B.fetchBalance();
    // 0.01 BTC less the taker's fee of 5 bp on what it received.
    assert.equal(toUnits(String(b.BTC.total), 8), 1_000_000n - 500n);
  });

  it('holds an approved configuration change until its timelock has passed', T, async () => {
    const genesis = fs.readFileSync(file('genesis.toml'), 'utf8');
    const changed = genesis.replace(/^taker_fee_ppm = 500$/m, 'taker_fee_ppm = 700');
    assert.notEqual(changed, genesis);
    fs.writeFileSync(file('fee.toml'), changed);
    const proposed = role('propose', 'op1.key', '--proposal-id', '1', '--config', file('fee.toml'));
    assert.equal(proposed.status, 200, JSON.stringify(proposed.body));
    const approved = role('approve', 'op2.key', '--proposal-id', '1', '--config', file('fee.toml'));
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.config, undefined, 'applied without its timelock');
    const { proposals, timelockUs } = await getJson('/api/v1/glassbook/proposals');
    assert.equal(timelockUs, 3_600_000_000);
    assert.equal(proposals.length, 1);
    assert.equal(proposals[0].approvals, 2);
    assert.ok(proposals[0].enactableAt > Date.now() * 1000 + 3_500_000_000);
    const early = role('enact', 'op3.key', '--proposal-id', '1');
    assert.equal(early.body.code, 'TIMELOCKED', JSON.stringify(early.body));
    const market = (await getJson('/api/v1/markets')).find((m) => m.symbol === 'BTC_USDC');
    assert.ok(market, 'BTC_USDC is listed');
  });

  it('restarts from its journal, and refuses another genesis over it', T, async () => {
    await stop();
    server = await serve();
    assert.match(server.output(), /journal .*: \d+ records\n/);
    assert.doesNotMatch(server.output(), /new exchange/);
    const { proposals } = await getJson('/api/v1/glassbook/proposals');
    assert.equal(proposals.length, 1, 'the pending change was lost in the restart');
    const B = await client(bob);
    assert.equal(toUnits(String((await B.fetchBalance()).BTC.total), 8), 1_000_000n - 500n);
    await stop();
    const other = gb('serve', '--genesis', file('fee.toml'), '--data', file('data'), '--log-key', file('log.key'),
      '--passphrase-env', 'GB_PASS', '--port', '0', '--seconds', '1');
    assert.notEqual(other.status, 0);
    assert.match(other.stderr, /another genesis/);
    server = await serve();
  });
});
