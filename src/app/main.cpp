// The `glassbook` command: serve, replica, oracle-feed, demo, bench, witness, chain-sim, chain-watch, custodian, deposit-addresses, replay, checkpoint, proof, verify, genesis, stress, sim, keys, role.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <sodium.h>

#include <unistd.h>

#include <iostream>

#include "app/bench/api_workload.h"
#include "app/bench/book_workload.h"
#include "app/bench/claims_workload.h"
#include "app/bench/crash_workload.h"
#include "app/bench/custody_workload.h"
#include "app/bench/engine_workload.h"
#include "app/bench/journal_workload.h"
#include "app/bench/markets_workload.h"
#include "app/bench/proof_workload.h"
#include "app/bench/publication_workload.h"
#include "app/genesis_command.h"
#include "app/genesis_init.h"
#include "app/keys_command.h"
#include "app/role_client.h"
#include "app/journal_commands.h"
#include "app/oracle_feed.h"
#include "app/proof_command.h"
#include "app/chain_sim_command.h"
#include "app/claims_command.h"
#include "app/chain_watch_command.h"
#include "app/claims_report_command.h"
#include "app/custodian_command.h"
#include "app/demo.h"
#include "app/replica_command.h"
#include "app/serve.h"
#include "app/sim_command.h"
#include "app/stress_command.h"
#include "app/witness_command.h"
#include "crypto/ed25519.h"

int main(int argc, char** argv) {
  using namespace glassbook;
  CLI::App app{"Glassbook: an exchange core that cannot hide anything"};
  app.require_subcommand(1);

  app::ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "run the exchange behind its Backpack-compatible REST/WebSocket gateway");
  serve_cmd->add_option("--data", serve.data_dir, "journal directory (created when missing)")->required();
  serve_cmd->add_option("--host", serve.host, "listen address");
  serve_cmd->add_option("--port", serve.port, "listen port (0: any free port)");
  serve_cmd->add_option("--threads", serve.threads, "gateway I/O threads")->check(CLI::Range(1, 64));
  serve_cmd->add_flag("--demo", serve.demo, "the demo exchange: BTC, SOL, USDC, two spot markets and two perpetuals, public demo keys");
  serve_cmd->add_option("--genesis", serve.genesis, "a real exchange: its genesis file (glassbook genesis init)")->check(CLI::ExistingFile);
  serve_cmd->add_option("--log-key", serve.log_key, "the real exchange's sealed log key file (glassbook keys new --role log)")->check(CLI::ExistingFile);
  serve_cmd->add_option("--passphrase-fd", serve.passphrase.fd, "read the log key's passphrase from this descriptor (default: ask on the terminal)")->check(CLI::Range(0, 1 << 20));
  serve_cmd->add_option("--passphrase-env", serve.passphrase.env, "read the log key's passphrase from this environment variable");
  serve_cmd->add_option("--demo-accounts", serve.demo_accounts, "funded demo accounts for API users")->check(CLI::Range(0u, 10'000u));
  serve_cmd->add_option("--keys-out", serve.keys_out, "write the URL and the demo accounts' API keys here (JSON) once listening");
  serve_cmd->add_option("--traders", serve.traders, "simulated traders (demo)")->check(CLI::Range(0u, 10'000u));
  serve_cmd->add_option("--trader-rate", serve.trader_rate, "simulated orders per second")->check(CLI::Range(0.1, 100'000.0));
  serve_cmd->add_option("--oracle-sources", serve.oracle_sources, "demo oracle sources signing prices (0: no oracle feeder)")->check(CLI::Range(0u, 5u));
  serve_cmd->add_option("--oracle-interval", serve.oracle_interval, "seconds between the oracle feeder's rounds")->check(CLI::Range(0.01, 3600.0));
  serve_cmd->add_option("--oracle-seed", serve.oracle_seed, "seed of the oracle feeder's price walk");
  serve_cmd->add_option("--rate-per-key", serve.rate_per_key, "requests per second per API key")->check(CLI::Range(1.0, 1e9));
  serve_cmd->add_option("--rate-per-ip", serve.rate_per_ip, "requests per second per address")->check(CLI::Range(1.0, 1e9));
  serve_cmd->add_option("--connections-per-address", serve.connections_per_address, "open connections one address may hold")
      ->check(CLI::Range(size_t{1}, size_t{9'000}));
  serve_cmd->add_option("--ws-unsubscribed-timeout", serve.ws_unsubscribed_timeout_s,
                        "seconds after which a WebSocket holding no subscription is closed (0: never)")
      ->check(CLI::Range(0u, 86'400u));
  serve_cmd->add_option("--checkpoint-every", serve.checkpoint_every, "records between signed checkpoints")->check(CLI::Range(1ull, 100'000'000ull));
  serve_cmd->add_option("--snapshot-every", serve.snapshot_every, "records between snapshots (0: never)")->check(CLI::Range(0ull, 1'000'000'000ull));
  serve_cmd->add_option("--web", serve.web_dir, "the web interface's built files, served at / (default: web/dist of the source tree when built; \"\" for none)");
  serve_cmd->add_option("--seconds", serve.seconds, "stop after this long (0: on SIGINT/SIGTERM)")->check(CLI::Range(0.0, 1e7));
  serve_cmd->add_option("--demo-witness", serve.demo_witnesses, "a witness the demo's genesis names (give the same ones on every start): \"<name> <http://host:port> <base64 key>\"; repeat");
  serve_cmd->add_option("--proof-every-seconds", serve.proof_every_seconds, "seconds of command time between published liabilities roots (0: none)")->check(CLI::Range(0.0, 60.0));
  serve_cmd->add_option("--proof-key", serve.proof_key, "the real exchange's sealed proof key file (glassbook keys new --role proof)")->check(CLI::ExistingFile);
  serve_cmd->add_option("--proof-passphrase-env", serve.proof_passphrase.env, "read the proof key's passphrase from this environment variable (default: ask on the terminal)");
  serve_cmd->add_option("--demo-witness-quorum", serve.demo_witness_quorum, "cosignatures a demo checkpoint needs (default: every witness)")->check(CLI::Range(1u, 16u));

  app::ReplicaOptions replica;
  auto* replica_cmd = app.add_subcommand("replica", "follow a primary's journal: check every record, signature and checkpoint, journal and apply them");
  replica_cmd->add_option("--primary", replica.primary, "the primary's gateway, http://host:port")->required();
  replica_cmd->add_option("--data", replica.data_dir, "the replica's own journal directory (created when missing)")->required();
  replica_cmd->add_option("--genesis", replica.genesis, "the exchange's genesis file: the primary's genesis must hold it")->check(CLI::ExistingFile);
  replica_cmd->add_option("--poll-ms", replica.poll_ms, "milliseconds before asking again when nothing was new")->check(CLI::Range(0.1, 10'000.0));
  replica_cmd->add_option("--seconds", replica.seconds, "stop after this long (0: on SIGINT/SIGTERM)")->check(CLI::Range(0.0, 1e7));
  replica_cmd->add_flag("--quiet", replica.quiet, "no line per verified checkpoint");
  replica_cmd->add_option("--name", replica.name, "the name the primary's health endpoint shows (default: the data directory's name)")
      ->check([](const std::string& s) {
        return !s.empty() && s.size() <= 64 && s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == std::string::npos
                   ? std::string()
                   : std::string("1 to 64 of A-Z, a-z, 0-9, '.', '_' and '-'");
      });

  app::DemoOptions demo;
  auto* demo_cmd = app.add_subcommand("demo", "run an in-process simulation of signed traders on two spot markets");
  demo_cmd->add_option("--seconds", demo.seconds, "wall-clock bound of the trading phase")->check(CLI::Range(0.0, 3600.0));
  demo_cmd->add_option("--commands", demo.max_commands, "bound on the number of commands")->check(CLI::Range(1ull, 1'000'000'000ull));
  demo_cmd->add_option("--accounts", demo.accounts, "simulated accounts (one in ten makes markets)")->check(CLI::Range(20u, 100'000u));
  demo_cmd->add_option("--seed", demo.seed, "seed of the simulated traders");
  demo_cmd->add_flag("--quiet", demo.quiet, "no progress lines");

  auto* bench_cmd = app.add_subcommand("bench", "print benchmark figures");
  bench_cmd->require_subcommand(1);
  app::EngineWorkloadOptions ew;
  uint64_t book_orders = 1'000'000;
  uint64_t book_seed = 1;
  auto* bench_engine = bench_cmd->add_subcommand("engine", "workload 1 (book through the C interface) and workload 2 (full engine)");
  bench_engine->add_option("--commands", ew.commands, "workload 2 commands")->check(CLI::Range(1000ull, 100'000'000ull));
  bench_engine->add_option("--book-orders", book_orders, "workload 1 new orders per path")->check(CLI::Range(1000ull, 100'000'000ull));
  bench_engine->add_option("--seed", ew.seed, "seed of both workloads");

  app::MarketsWorkloadOptions mw;
  auto* bench_markets = bench_cmd->add_subcommand("markets", "workload 3: the full engine over 100 spot and 100 perpetual markets, Pareto activity");
  bench_markets->add_option("--accounts", mw.accounts, "accounts")->check(CLI::Range(100u, 10'000'000u));
  bench_markets->add_option("--commands", mw.commands, "timed commands, oracle updates included")->check(CLI::Range(1000ull, 1'000'000'000ull));
  bench_markets->add_option("--seed", mw.seed, "seed of the workload");
  bench_markets->add_option("--spot-markets", mw.spot_markets, "spot markets (against USDC, then USDT)")->check(CLI::Range(0u, 120u));
  bench_markets->add_option("--perp-markets", mw.perp_markets, "perpetual markets (standard, then micro)")->check(CLI::Range(0u, 120u));
  bench_markets->add_option("--prefill-orders", mw.prefill_orders, "resting orders per market before the timed part")->check(CLI::Range(10u, 100'000u));
  bench_markets->add_option("--command-rate", mw.command_rate, "simulated commands per second (the timestamps' pace)")->check(CLI::Range(1000u, 100'000'000u));

  app::CrashBenchOptions cb;
  int crash_shock_percent = -30;
  auto* bench_crash = bench_cmd->add_subcommand("crash", "a flash crash over leveraged accounts: the whole liquidation cascade, timed");
  bench_crash->add_option("--accounts", cb.accounts, "accounts with positions")->check(CLI::Range(2u, 10'000'000u));
  bench_crash->add_option("--shock", crash_shock_percent, "the oracle's move in percent")->check(CLI::Range(-90, -1));
  bench_crash->add_option("--steps", cb.steps, "oracle steps to reach it (within one second)")->check(CLI::Range(1, 100));
  bench_crash->add_option("--seed", cb.seed, "seed of the population");

  app::JournalBenchOptions jb;
  auto* bench_journal = bench_cmd->add_subcommand("journal", "append with group commit, replay with and without signatures, recovery");
  bench_journal->add_option("--records", jb.records, "records of the long journal (replay and recovery)")->check(CLI::Range(10'000ull, 100'000'000ull));
  bench_journal->add_option("--append-records", jb.append_records, "commands appended through a node")->check(CLI::Range(1'000ull, 100'000'000ull));
  bench_journal->add_option("--verify-records", jb.verify_records, "signed records replayed with signature checks")->check(CLI::Range(1'000ull, 100'000'000ull));
  bench_journal->add_option("--dir", jb.dir, "where to write the journals (default: a new directory under /tmp)");
  bench_journal->add_flag("--keep", jb.keep, "keep the journals afterwards");
  bench_journal->add_option("--seed", jb.seed, "seed of the workload");
  bench_journal->add_option("--root-accounts", jb.root_accounts, "accounts of the state root figures (each a run of its own)")
      ->check(CLI::Range(1ull, 20'000'000ull));
  bench_journal->add_option("--root-batches", jb.root_batches, "batches of 1,000 records, one state root after each")->check(CLI::Range(1, 10'000));
  bench_journal->add_flag("--state-root-only", jb.state_root_only, "only the state root figures");

  app::ApiBenchOptions ab;
  auto* bench_api = bench_cmd->add_subcommand("api", "signed orders through the HTTP gateway: saturation, batches, latency at fixed rates");
  bench_api->add_option("--seconds", ab.seconds, "length of each phase (requests are signed for 60 s)")->check(CLI::Range(0.1, 50.0));
  bench_api->add_option("--connections", ab.connections, "keep-alive client connections")->check(CLI::Range(1u, 4096u));
  bench_api->add_option("--accounts", ab.accounts, "funded demo accounts (half sell, half buy)")->check(CLI::Range(2u, 10'000u));
  bench_api->add_option("--threads", ab.threads, "server I/O threads (default: one per core)")->check(CLI::Range(1u, 64u));
  bench_api->add_option("--dir", ab.dir, "where to put the journal (default: a new directory under /tmp)");
  bench_api->add_flag("--keep", ab.keep, "keep the journal afterwards");
  bench_api->add_option("--group-commit-wait", ab.group_commit_wait_us,
                        "longest wait in us for a batch to fill before it is applied and synced (0: never wait)")
      ->check(CLI::Range(0u, 100'000u));
  bench_api->add_flag("--breakdown,!--no-breakdown", ab.breakdown,
                      "time every stage of the order path (on by default; off to measure what the timing costs)");

  app::WitnessCommandOptions witness;
  app::ProofBenchOptions pbo;
  bool pbo_ten_million = false;
  app::PublicationBenchOptions pub;
  auto* bench_publication = bench_cmd->add_subcommand("publication", "the engine thread's apply latency with and without a liabilities tree built beside it from a copy of its state");
  bench_publication->add_option("--commands", pub.commands, "timed commands (half without a build, half with)")->check(CLI::Range(10'000ull, 100'000'000ull));
  bench_publication->add_option("--accounts", pub.accounts, "accounts (the tree's leaves)")->check(CLI::Range(100u, 10'000'000u));
  bench_publication->add_option("--threads", pub.threads, "threads building the tree")->check(CLI::Range(1u, 2u));
  bench_publication->add_option("--seed", pub.seed, "seed of the workload");
  auto* bench_proof = bench_cmd->add_subcommand("proof", "proof of liabilities: tree build on both cores at 2^20 and 1M accounts (10M with --ten-million), proof size, generation, verification");
  bench_proof->add_option("--accounts", pbo.accounts, "account counts, one run each (default: 1048576 1000000)")->check(CLI::Range(1ull, 100'000'000ull));
  bench_proof->add_option("--assets", pbo.assets, "assets per account")->check(CLI::Range(1, 1024));
  bench_proof->add_option("--threads", pbo.threads, "threads building the tree")->check(CLI::Range(1, 2));
  bench_proof->add_option("--proofs", pbo.proofs, "proofs generated and verified per run")->check(CLI::Range(1, 1'000'000));
  bench_proof->add_flag("--ten-million", pbo_ten_million, "also 10,000,000 accounts (about 4 GiB)");

  auto* claims_cmd = app.add_subcommand("claims", "bankruptcy claims read from a journal (docs/claims.md)");
  claims_cmd->require_subcommand(1);
  std::string claims_dir;
  uint16_t claims_estate = 0;
  auto* claims_report = claims_cmd->add_subcommand("report", "replay a journal; print an estate's claims, distribution rounds, escrow and holders by jurisdiction");
  claims_report->add_option("--data", claims_dir, "journal directory")->required()->check(CLI::ExistingDirectory);
  claims_report->add_option("--estate", claims_estate, "the estate's index in the configuration")->required();

  uint64_t claims_holders = 1'000'000;
  auto* bench_claims = bench_cmd->add_subcommand("claims", "a distribution round over 1,000,000 claim holders, in chunks with trading between them");
  bench_claims->add_option("--holders", claims_holders, "claim holders")->check(CLI::Range(1ull, 10'000'000ull));
  app::CustodyBenchOptions custody_bench;
  auto* bench_custody = bench_cmd->add_subcommand("custody", "the reconciliation of 20 assets' wallets at 1,000,000 accounts, per reconciliation");
  bench_custody->add_option("--accounts", custody_bench.accounts, "customer accounts")->check(CLI::Range(1ull, 10'000'000ull));
  bench_custody->add_option("--assets", custody_bench.assets, "assets (the demo's three and tokens)")->check(CLI::Range(3u, 1000u));
  bench_custody->add_option("--reconciliations", custody_bench.reconciliations, "timed reconciliations")->check(CLI::Range(1u, 1'000'000u));
  auto* witness_cmd = app.add_subcommand("witness", "run a tlog-witness: cosign a log's checkpoints, refuse its rollbacks and forks");
  witness_cmd->add_option("--key", witness.key_file, "the witness's sealed key file (glassbook keys new --role witness)")->required()->check(CLI::ExistingFile);
  witness_cmd->add_option("--log-key", witness.log_keys, "verifier key (origin+id+key) of a log to witness; repeat for more logs")->required();
  witness_cmd->add_option("--url", witness.url, "listen address host:port (port 0: any free port)");
  witness_cmd->add_option("--state", witness.state_dir, "directory of the last cosigned checkpoints and the alarm file");
  witness_cmd->add_option("--name", witness.name, "the witness's key name (default: glassbook-witness/<first 8 hex digits of its key>)");
  witness_cmd->add_option("--ready-file", witness.ready_file, "write \"<url> <witness key>\" here once listening");
  witness_cmd->add_option("--passphrase-fd", witness.passphrase.fd, "read the key's passphrase from this descriptor")->check(CLI::Range(0, 1 << 20));
  witness_cmd->add_option("--passphrase-env", witness.passphrase.env, "read the key's passphrase from this environment variable");
  witness_cmd->add_option("--seconds", witness.seconds, "stop after this long (0: on SIGINT/SIGTERM)")->check(CLI::Range(0.0, 1e7));

  app::ReplayOptions replay;
  auto* replay_cmd = app.add_subcommand("replay", "recompute a journal's whole history and check every signature, hash link and checkpoint");
  replay_cmd->add_option("dir", replay.dir, "journal directory")->required()->check(CLI::ExistingDirectory);
  replay_cmd->add_option("--checkpoint", replay.checkpoint_file, "a signed checkpoint kept outside the directory: the journal must reproduce it")
      ->check(CLI::ExistingFile);
  replay_cmd->add_option("--key", replay.key, "the verifier key (name+id+key) that signed --checkpoint");
  replay_cmd->add_option("--witness-key", replay.witness_keys, "a witness's key (name+id+key) whose cosignature on --checkpoint counts; repeat for more");
  replay_cmd->add_option("--witness-quorum", replay.witness_quorum, "cosignatures --checkpoint needs (default: every --witness-key)");
  replay_cmd->add_flag("--from-snapshot", replay.from_snapshot, "start from the newest whole snapshot");
  replay_cmd->add_flag("--no-signatures", replay.no_signatures, "skip signature checks (hash links and checkpoints are still checked)");
  replay_cmd->add_option("--threads", replay.threads, "signature-checking threads (default: every core)")->check(CLI::Range(1u, 1024u));
  replay_cmd->add_flag("--quiet", replay.quiet, "no progress line");

  std::string cp_dir;
  auto* checkpoint_cmd = app.add_subcommand("checkpoint", "print a journal's newest signed checkpoint (and its verifier key on stderr)");
  checkpoint_cmd->add_option("dir", cp_dir, "journal directory")->required()->check(CLI::ExistingDirectory);
  std::optional<uint64_t> cp_size;
  checkpoint_cmd->add_option("--size", cp_size, "the checkpoint of this many records (default: the newest)");

  auto* proof_cmd = app.add_subcommand("proof", "journal proofs (inclusion, consistency) and the proof of liabilities (build, verify, audit)");
  proof_cmd->require_subcommand(1);
  std::string proof_dir;
  uint64_t proof_seq = 0, proof_old = 0;
  std::optional<uint64_t> proof_size, proof_new;
  auto* proof_incl = proof_cmd->add_subcommand("inclusion", "record SEQ is in the log");
  proof_incl->add_option("dir", proof_dir, "journal directory")->required()->check(CLI::ExistingDirectory);
  proof_incl->add_option("--seq", proof_seq, "the record's sequence number")->required();
  proof_incl->add_option("--size", proof_size, "tree size (default: the newest checkpoint's)");
  auto* proof_cons = proof_cmd->add_subcommand("consistency", "the log of OLD records is a prefix of the log of NEW records");
  proof_cons->add_option("dir", proof_dir, "journal directory")->required()->check(CLI::ExistingDirectory);
  proof_cons->add_option("--old", proof_old, "older tree size")->required();
  proof_cons->add_option("--new", proof_new, "newer tree size (default: the newest checkpoint's)");
  // The proof of liabilities (docs/proofs.md).
  app::ProofBuildOptions pb;
  std::string pv_proof, pv_root, pv_key;
  auto add_proof_key = [](CLI::App* c, app::ProofKeyOptions& k) {
    c->add_option("--key", k.key_file, "the exchange's sealed proof key file (glassbook keys new --role proof)")->check(CLI::ExistingFile);
    c->add_option("--passphrase-fd", k.passphrase.fd, "read the key's passphrase from this descriptor")->check(CLI::Range(0, 1 << 20));
    c->add_option("--passphrase-env", k.passphrase.env, "read the key's passphrase from this environment variable");
    c->add_flag("--demo", k.demo, "the demo exchange's public proof key (label demo/proof)");
  };
  auto* proof_build = proof_cmd->add_subcommand("build", "build the liabilities tree of a journal's state: the signed root, and accounts' proofs");
  proof_build->add_option("dir", pb.dir, "journal directory")->required()->check(CLI::ExistingDirectory);
  proof_build->add_option("--at-seq", pb.at_seq, "the state after this record (default: the newest)");
  proof_build->add_option("--out-root", pb.out_root, "where to write the signed root (JSON)")->required();
  proof_build->add_option("--account", pb.accounts, "an account whose inclusion proof to write (repeatable)");
  proof_build->add_option("--proofs-dir", pb.proofs_dir, "where to write proof-<account>.json (default: .)");
  proof_build->add_option("--depth", pb.depth, "the tree's published depth (default: the smallest that holds every account)")->check(CLI::Range(0, 32));
  proof_build->add_option("--threads", pb.threads, "threads building the tree")->check(CLI::Range(1, 2));
  add_proof_key(proof_build, pb.key);
  auto* proof_verify = proof_cmd->add_subcommand("verify", "check an account's proof of liabilities against the exchange's signed root");
  proof_verify->add_option("proof", pv_proof, "the account's proof (JSON)")->required()->check(CLI::ExistingFile);
  proof_verify->add_option("root", pv_root, "the signed root (JSON)")->required()->check(CLI::ExistingFile);
  proof_verify->add_option("--exchange-key", pv_key, "the exchange's proof public key (base64): the root must be signed by it");
  app::ProofKeyOptions pa_key;
  std::string pa_dir, pa_root;
  auto* proof_audit = proof_cmd->add_subcommand("audit", "replay a journal to a root's checkpoint and rebuild the tree byte for byte; check its sums against the ledger");
  proof_audit->add_option("dir", pa_dir, "journal directory")->required()->check(CLI::ExistingDirectory);
  proof_audit->add_option("root", pa_root, "the published root (JSON)")->required()->check(CLI::ExistingFile);
  add_proof_key(proof_audit, pa_key);
  std::string pp_dir, pp_out;
  std::optional<uint64_t> pp_seq;
  auto* proof_published = proof_cmd->add_subcommand("published", "export the newest liabilities root a journal published (at or before a record)");
  proof_published->add_option("dir", pp_dir, "journal directory")->required()->check(CLI::ExistingDirectory);
  proof_published->add_option("--at-seq", pp_seq, "the newest root published at or before this record (default: the end)");
  proof_published->add_option("--out-root", pp_out, "where to write the root (JSON)")->required();

  auto* verify_cmd = app.add_subcommand("verify", "check a proof offline against signed checkpoints");
  verify_cmd->require_subcommand(1);
  std::string v_key, v_cp, v_old, v_new, v_proof, v_hash;
  auto* verify_incl = verify_cmd->add_subcommand("inclusion", "check an inclusion proof against a signed checkpoint");
  verify_incl->add_option("--checkpoint", v_cp, "signed checkpoint file")->required()->check(CLI::ExistingFile);
  verify_incl->add_option("--proof", v_proof, "inclusion proof file")->required()->check(CLI::ExistingFile);
  verify_incl->add_option("--key", v_key, "the log's verifier key (name+id+key)")->required();
  verify_incl->add_option("--record-hash", v_hash, "the record's hash you hold (64 hex digits): the proof must be about it");
  auto* verify_cons = verify_cmd->add_subcommand("consistency", "check a consistency proof between two signed checkpoints");
  verify_cons->add_option("--old", v_old, "older signed checkpoint file")->required()->check(CLI::ExistingFile);
  verify_cons->add_option("--new", v_new, "newer signed checkpoint file")->required()->check(CLI::ExistingFile);
  verify_cons->add_option("--proof", v_proof, "consistency proof file")->required()->check(CLI::ExistingFile);
  verify_cons->add_option("--key", v_key, "the log's verifier key (name+id+key)")->required();

  auto* genesis_cmd = app.add_subcommand("genesis", "the genesis file (TOML, docs/genesis.md): check one, or print the demo's");
  genesis_cmd->require_subcommand(1);
  std::string genesis_file;
  auto* genesis_check = genesis_cmd->add_subcommand("check", "validate a genesis file; print its configuration hash and a summary");
  genesis_check->add_option("file", genesis_file, "genesis file (TOML, at most 1 MiB)")->required();
  auto* genesis_demo = genesis_cmd->add_subcommand("demo", "print the demo exchange's configuration as a genesis file");

  app::StressOptions stress_options;
  auto* stress_cmd = app.add_subcommand("stress", "shock the live state of a journal on a copy: liquidations, insurance fund, ADL, cover 2");
  stress_cmd->add_option("--data", stress_options.dir, "journal directory")->required()->check(CLI::ExistingDirectory);
  stress_cmd->add_option("--shock", stress_options.shock, "move every index by this, e.g. --shock=-30% (default -30%)");
  stress_cmd->add_flag("--grid", stress_options.grid, "every index by -50, -30, -20, -10, -5, +5, +10, +20, +30 and +50%");
  stress_cmd->add_option("--depeg", stress_options.depegs, "move a redemption-valued asset's rate, e.g. --depeg=WBTC:-20% (repeatable)");
  stress_cmd->add_flag("--json", stress_options.json, "print JSON instead of a table");
  stress_cmd->add_flag("--from-genesis", stress_options.from_genesis, "rebuild the state from genesis instead of the newest snapshot");

  app::OracleFeedOptions feed;
  app::SimCommandOptions sim_options;
  auto* sim_cmd = app.add_subcommand("sim", "the real node on a simulated disk with seeded faults, crashes and restarts, checked after each");
  sim_cmd->add_option("--seed", sim_options.seed, "the seed (default 1): the same seed runs the same simulation");
  sim_cmd->add_option("--seeds", sim_options.seeds, "run this many seeds from --seed on, one line each (default 1)");
  sim_cmd->add_option("--commands", sim_options.commands, "commands the simulated clients submit per seed (default 2000)");
  sim_cmd->add_option("--faults", sim_options.faults,
                      "fault kinds: all (default), none, or a list of crash, torn, write-eio, write-enospc, sync-eio, sync-enospc, corrupt");
  sim_cmd->add_option("--fault-rate", sim_options.fault_per_mille, "per mille: the chance before each round of commands (1 to 8) that a fault is armed (default 80)");
  sim_cmd->add_flag("--require-every-fault", sim_options.require_every_fault, "fail unless every fault kind asked for fired at least once");

  auto* feed_cmd = app.add_subcommand("oracle-feed", "the demo's oracle sources as a process: signed reports posted to a gateway");
  feed_cmd->add_option("--url", feed.url, "the gateway, http://host:port")->required();
  feed_cmd->add_option("--sources", feed.sources, "how many of the demo's five sources speak")->check(CLI::Range(1u, 5u));
  feed_cmd->add_option("--interval", feed.interval_seconds, "seconds between rounds")->check(CLI::Range(0.01, 3600.0));
  feed_cmd->add_option("--seed", feed.seed, "seed of the price walk");
  feed_cmd->add_option("--seconds", feed.seconds, "stop after this long (default: on SIGINT or SIGTERM)")->check(CLI::Range(0.0, 1e9));
  feed_cmd->add_flag("--quiet", feed.quiet, "no line per round");

  auto* keys_cmd = app.add_subcommand("keys", "role keys: make one in a sealed key file, or show a file's public key");
  app::KeysNewOptions keys_new;
  std::string keys_cost = "moderate";
  auto* keys_new_cmd = keys_cmd->add_subcommand("new", "make an Ed25519 role key, sealed with a passphrase in a new file (mode 0600)");
  keys_new_cmd->add_option("--role", keys_new.role, "operator, chain-watcher, oracle-source, log or custodian")->required();
  keys_new_cmd->add_option("--out", keys_new.out, "the key file to create (never replaced)")->required();
  keys_new_cmd->add_option("--passphrase-fd", keys_new.passphrase.fd, "read the passphrase from this descriptor (default: ask twice on the terminal)")->check(CLI::Range(0, 1 << 20));
  keys_new_cmd->add_option("--passphrase-env", keys_new.passphrase.env, "read the passphrase from this environment variable");
  keys_new_cmd->add_option("--kdf-cost", keys_cost, "Argon2id cost: interactive, moderate (default) or sensitive")
      ->check(CLI::IsMember({"interactive", "moderate", "sensitive"}));
  std::string keys_show_file;
  auto* keys_show_cmd = keys_cmd->add_subcommand("show", "print a key file's role and public key (no passphrase needed)");
  keys_show_cmd->add_option("file", keys_show_file, "key file")->required();

  app::GenesisInitOptions gi;
  auto* genesis_init = genesis_cmd->add_subcommand("init", "write the genesis of a new exchange from its role holders' public keys");
  genesis_init->add_option("--out", gi.out, "the genesis file to create")->required();
  genesis_init->add_option("--log-key", gi.log_key, "the log key: base64, hex, or its key file")->required();
  genesis_init->add_option("--proof-key", gi.proof_key, "the proof key that signs published liabilities roots: base64, hex, or its key file (default: none, nothing published)");
  genesis_init->add_option("--operator", gi.operators, "an operator's key (repeat for each)")->required();
  genesis_init->add_option("--operators-threshold", gi.operators_threshold, "operators that must approve a change (default: a majority)");
  genesis_init->add_option("--chain-watcher", gi.chain_watchers, "a chain watcher's key (repeat for each)")->required();
  genesis_init->add_option("--chain-watchers-threshold", gi.chain_watchers_threshold, "attestations a large deposit needs (default: a majority)");
  genesis_init->add_option("--oracle-source", gi.oracle_sources, "an oracle source's key (repeat for each)")->required();
  genesis_init->add_option("--oracle-quorum", gi.oracle_quorum, "fresh sources an index needs (default: a majority)");
  genesis_init->add_option("--custodian", gi.custodians, "a custodian's key (repeat for each)");
  genesis_init->add_option("--custodians-threshold", gi.custodians_threshold, "custodians that must approve a withdrawal (default: a majority)");
  genesis_init->add_option("--config-timelock", gi.config_timelock_seconds, "seconds an approved configuration change waits (default: one day)")
      ->check(CLI::Range(0.0, 30.0 * 24 * 3600));
  genesis_init->add_option("--markets", gi.markets, "a genesis file whose assets, markets, risk parameters and groups to use (default: the demo's); its keys are not used")
      ->check(CLI::ExistingFile);
  genesis_init->add_option("--large-deposit", gi.large_deposits, "SYMBOL=AMOUNT: deposits up to AMOUNT (whole units) need one chain watcher; "
                                                                 "larger ones and other assets need the threshold (repeatable)");

  auto* role_cmd = app.add_subcommand("role", "sign a deposit attestation or a configuration command with a role key and post it");
  role_cmd->require_subcommand(1);
  app::RoleClientOptions rc;
  app::RoleDepositOptions rd;
  uint64_t role_proposal = 0;
  std::string role_config;
  auto role_common = [&](CLI::App* c) {
    c->add_option("--url", rc.url, "the gateway, http://host:port")->required();
    c->add_option("--key", rc.key_file, "the signer's sealed key file");
    c->add_option("--passphrase-fd", rc.passphrase.fd, "read the passphrase from this descriptor")->check(CLI::Range(0, 1 << 20));
    c->add_option("--passphrase-env", rc.passphrase.env, "read the passphrase from this environment variable");
    c->add_option("--demo-signer", rc.demo_signer, "sign with the public demo key of this label instead (the demo exchange only)");
  };
  auto* role_deposit = role_cmd->add_subcommand("deposit", "a chain watcher attests a deposit it saw on chain");
  role_common(role_deposit);
  role_deposit->add_option("--account", rd.account, "the credited account")->required();
  role_deposit->add_option("--asset", rd.asset, "the asset's index in the configuration")->required();
  role_deposit->add_option("--amount", rd.amount, "in the asset's smallest units")->required()->check(CLI::Range(int64_t{1}, INT64_MAX));
  role_deposit->add_option("--deposit-id", rd.deposit_id, "the watchers' common id of the on-chain transfer")->required();
  auto* role_propose = role_cmd->add_subcommand("propose", "an operator proposes a whole new configuration (a genesis file)");
  role_common(role_propose);
  role_propose->add_option("--proposal-id", role_proposal, "above every id proposed before")->required();
  role_propose->add_option("--config", role_config, "the proposed configuration, as a genesis file")->required();
  auto* role_approve = role_cmd->add_subcommand("approve", "an operator approves a pending proposal (naming its configuration's hash)");
  role_common(role_approve);
  role_approve->add_option("--proposal-id", role_proposal, "the pending proposal")->required();
  role_approve->add_option("--config", role_config, "the configuration read and approved, as a genesis file")->required();
  auto* role_enact = role_cmd->add_subcommand("enact", "an operator puts an approved proposal in force once its timelock has passed");
  role_common(role_enact);
  role_enact->add_option("--proposal-id", role_proposal, "the approved proposal")->required();
  app::RoleWalletOptions role_wallet;
  auto* role_wallet_cmd = role_cmd->add_subcommand("register-wallet", "an operator registers one of the exchange's wallets (m of n operators)");
  role_common(role_wallet_cmd);
  role_wallet_cmd->add_option("--chain", role_wallet.chain, "the chain, as deposit addresses name it")->required();
  role_wallet_cmd->add_option("--asset", role_wallet.asset, "the asset's index in the configuration")->required();
  role_wallet_cmd->add_option("--address", role_wallet.address, "the wallet's address, as the chain prints it")->required();
  role_wallet_cmd->add_option("--kind", role_wallet.kind, "customer-hot, customer-cold or operational");
  role_wallet_cmd->add_option("--signer", role_wallet.signers, "a custodian's base64 public key (repeatable)")->required();
  role_wallet_cmd->add_option("--threshold", role_wallet.threshold, "signatures the wallet needs")->required();
  auto* role_reconcile = role_cmd->add_subcommand("reconcile", "an operator reconciles the ledger with the wallets now");
  role_common(role_reconcile);
  uint64_t role_alert = 0;
  std::string role_explanation;
  auto* role_resolve = role_cmd->add_subcommand("resolve-alert", "an operator resolves a reconciliation alert with an explanation (m of n)");
  role_common(role_resolve);
  role_resolve->add_option("--alert-id", role_alert, "the open alert")->required();
  role_resolve->add_option("--explanation", role_explanation, "why the ledger and the wallets differed and what was done")->required();

  app::ChainSimOptions chain_sim;
  bool chain_sim_no_tests = false;
  auto* chain_sim_cmd = app.add_subcommand("chain-sim", "a deterministic simulated chain as a process: JSON-RPC 2.0 over HTTP on 127.0.0.1");
  chain_sim_cmd->add_option("--port", chain_sim.port, "listen port on 127.0.0.1 (0: any free port)");
  chain_sim_cmd->add_option("--state", chain_sim.state_file, "the chain's state file (created when missing, resumed otherwise)");
  chain_sim_cmd->add_option("--name", chain_sim.name, "a new chain's name")->check([](const std::string& s) {
    return !s.empty() && s.size() <= 64 && s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos
               ? std::string()
               : std::string("1 to 64 of a-z, 0-9 and -");
  });
  chain_sim_cmd->add_option("--seed", chain_sim.seed, "a new chain's seed (fixes every block hash)");
  chain_sim_cmd->add_option("--min-fee", chain_sim.min_fee, "a new chain's minimum fee, in the transferred asset's smallest units")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 60));
  chain_sim_cmd->add_option("--block-seconds", chain_sim.block_seconds, "mine a block this often (default 0: only on sim_mine)")
      ->check(CLI::Range(0.0, 86'400.0));
  chain_sim_cmd->add_flag("--no-test-methods", chain_sim_no_tests, "refuse sim_mine, sim_reorg, sim_faucet and sim_steal");
  chain_sim_cmd->add_option("--ready-file", chain_sim.ready_file, "write \"<url> <chain id> <height>\" here once listening");
  chain_sim_cmd->add_option("--seconds", chain_sim.seconds, "stop after this long (0: on SIGINT/SIGTERM)")->check(CLI::Range(0.0, 1e7));

  app::ChainWatchOptions chain_watch;
  auto* chain_watch_cmd = app.add_subcommand("chain-watch", "a chain watcher: follow a chain, attest confirmed deposits to known addresses to the exchange");
  chain_watch_cmd->add_option("--chain", chain_watch.chain_url, "the chain's JSON-RPC, http://host:port (glassbook chain-sim)");
  chain_watch_cmd->add_option("--eth", chain_watch.eth_url, "instead: an Ethereum node's JSON-RPC, http://host:port (ETH and --token deposits)");
  chain_watch_cmd->add_option("--token", chain_watch.tokens, "with --eth: an ERC-20 token to follow, ASSET=0xCONTRACT (repeat for each)");
  chain_watch_cmd->add_option("--url", chain_watch.url, "the exchange's gateway, http://host:port")->required();
  chain_watch_cmd->add_flag("--demo", chain_watch.demo, "sign with the public demo chain-watcher key (the demo exchange only)");
  chain_watch_cmd->add_option("--key", chain_watch.key_file, "the sealed chain-watcher key file (glassbook keys new --role chain-watcher)")->check(CLI::ExistingFile);
  chain_watch_cmd->add_option("--passphrase-fd", chain_watch.passphrase.fd, "read the key's passphrase from this descriptor")->check(CLI::Range(0, 1 << 20));
  chain_watch_cmd->add_option("--passphrase-env", chain_watch.passphrase.env, "read the key's passphrase from this environment variable");
  chain_watch_cmd->add_option("--genesis", chain_watch.genesis, "the exchange's genesis file (its assets), without --demo")->check(CLI::ExistingFile);
  chain_watch_cmd->add_option("--addresses", chain_watch.addresses, "the deposit address book (glassbook deposit-addresses)")->check(CLI::ExistingFile);
  chain_watch_cmd->add_option("--addresses-from", chain_watch.addresses_from,
                              "instead: the blockchain whose deposit addresses the exchange at --url recorded (read at start)");
  chain_watch_cmd->add_option("--blockchain", chain_watch.blockchain, "the exchange's name of the chain, whose withdrawals it settles (default: the simulated chain's name, or Ethereum)");
  chain_watch_cmd->add_option("--cursor", chain_watch.cursor, "the watcher's cursor file (created when missing, resumed otherwise)");
  chain_watch_cmd->add_option("--confirmations", chain_watch.confirmations, "blocks a transfer's block needs, itself included (default 6)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{10'000}));
  chain_watch_cmd->add_option("--from-height", chain_watch.from_height, "the first block a new cursor reads (default 0)");
  chain_watch_cmd->add_option("--interval", chain_watch.interval_seconds, "seconds between passes")->check(CLI::Range(0.01, 3600.0));
  chain_watch_cmd->add_option("--seconds", chain_watch.seconds, "stop after this long (0: on SIGINT/SIGTERM)")->check(CLI::Range(0.0, 1e7));

  app::DepositAddressesOptions deposit_addresses;
  auto* deposit_addresses_cmd = app.add_subcommand("deposit-addresses", "write the deposit address book: one derived address per account and asset");
  deposit_addresses_cmd->add_flag("--demo", deposit_addresses.demo, "derive from the demo's public root");
  deposit_addresses_cmd->add_flag("--eth", deposit_addresses.eth, "Ethereum addresses (secp256k1 keys), for chain-watch --eth");
  deposit_addresses_cmd->add_option("--account", deposit_addresses.accounts, "an account (repeat for each)")->required();
  deposit_addresses_cmd->add_option("--asset", deposit_addresses.assets, "an asset symbol (repeat; default: every demo asset)");
  deposit_addresses_cmd->add_option("--out", deposit_addresses.out, "the address book file to write");
  deposit_addresses_cmd->add_option("--submit", deposit_addresses.submit_url,
                                    "record them at the exchange's gateway, http://host:port (signed by the demo chain watcher)");
  deposit_addresses_cmd->add_option("--blockchain", deposit_addresses.blockchain, "with --submit: the chain's name (default sim, with --eth Ethereum)");

  app::CustodianCommandOptions custodian;
  auto* custodian_cmd = app.add_subcommand("custodian", "a custodian: approve the exchange's withdrawals and, as the broadcaster, send them on the chain");
  custodian_cmd->add_option("--chain", custodian.chain_url, "the simulated chain's JSON-RPC, http://host:port (glassbook chain-sim); not with --cancel");
  custodian_cmd->add_option("--url", custodian.url, "the exchange's gateway, http://host:port")->required();
  custodian_cmd->add_flag("--demo", custodian.demo, "sign with the public demo custodian key and hot wallet (the demo exchange only)");
  custodian_cmd->add_option("--key", custodian.key_file, "the sealed custodian key file (glassbook keys new --role custodian)")->check(CLI::ExistingFile);
  custodian_cmd->add_option("--passphrase-fd", custodian.passphrase.fd, "read the key's passphrase from this descriptor")->check(CLI::Range(0, 1 << 20));
  custodian_cmd->add_option("--passphrase-env", custodian.passphrase.env, "read the key's passphrase from this environment variable");
  custodian_cmd->add_option("--genesis", custodian.genesis, "the exchange's genesis file (its assets), without --demo")->check(CLI::ExistingFile);
  custodian_cmd->add_flag("--broadcast", custodian.broadcast, "this custodian sends approved withdrawals' transfers (one custodian does; the others approve)");
  custodian_cmd->add_option("--wallet-key", custodian.wallet_key_file, "with --broadcast: the sealed key of the wallet withdrawals are paid from")
      ->check(CLI::ExistingFile);
  custodian_cmd->add_option("--wallet-passphrase-fd", custodian.wallet_passphrase.fd, "read the wallet key's passphrase from this descriptor")
      ->check(CLI::Range(0, 1 << 20));
  custodian_cmd->add_option("--wallet-passphrase-env", custodian.wallet_passphrase.env, "read the wallet key's passphrase from this environment variable");
  custodian_cmd->add_option("--blockchain", custodian.blockchain, "the exchange's name of the chain (default: the simulated chain's name)");
  custodian_cmd->add_option("--max-amount", custodian.max_amount, "smallest units: a withdrawal above it is neither approved nor sent (default: no limit)")
      ->check(CLI::Range(int64_t{0}, INT64_MAX));
  custodian_cmd->add_option("--cancel", custodian.cancel_id,
                            "cancel this withdrawal (one awaiting approvals: its hold goes back to the account), then exit")
      ->check(CLI::Range(uint64_t{1}, UINT64_MAX));
  custodian_cmd->add_option("--interval", custodian.interval_seconds, "seconds between passes")->check(CLI::Range(0.01, 3600.0));
  custodian_cmd->add_option("--seconds", custodian.seconds, "stop after this long (0: on SIGINT/SIGTERM)")->check(CLI::Range(0.0, 1e7));
  custodian_cmd->add_flag("--test-kill-after-send", custodian.kill_after_send, "test only: SIGKILL itself between a transfer's send and its record")
      ->group("");

  app::ClaimTransfersOptions claim_transfers;
  auto* claims_transfers_cmd =
      claims_cmd->add_subcommand("transfers", "an estate's transfer-of-claim records, replayed up to the newest signed checkpoint");
  claims_transfers_cmd->add_option("--data", claim_transfers.dir, "journal directory")->required()->check(CLI::ExistingDirectory);
  claims_transfers_cmd->add_option("--estate", claim_transfers.estate, "the estate's index in the configuration")->required();
  claims_transfers_cmd->add_option("--from", claim_transfers.from, "records of commands at or after this seq (default 0)");
  claims_transfers_cmd->add_option("--format", claim_transfers.format, "csv (default) or json")->check(CLI::IsMember({"csv", "json"}));
  claims_transfers_cmd->add_option("--out", claim_transfers.out, "write to this file (default: standard output)");

  CLI11_PARSE(app, argc, argv);

  if (custodian_cmd->parsed()) return app::run_custodian(custodian);
  if (claims_transfers_cmd->parsed()) return app::run_claims_transfers(claim_transfers);

  if (chain_watch_cmd->parsed()) return app::run_chain_watch(chain_watch);
  if (deposit_addresses_cmd->parsed()) return app::run_deposit_addresses(deposit_addresses);

  if (chain_sim_cmd->parsed()) {
    chain_sim.test_methods = !chain_sim_no_tests;
    chain_sim.chain_given = chain_sim_cmd->count("--name") + chain_sim_cmd->count("--seed") + chain_sim_cmd->count("--min-fee") > 0;
    return app::run_chain_sim(chain_sim);
  }

  if (serve_cmd->parsed()) return app::run_serve(serve);
  if (replica_cmd->parsed()) return app::run_replica(replica);
  if (demo_cmd->parsed()) return app::run_demo(demo);
  if (bench_engine->parsed()) {
    book_seed = ew.seed;
    const int book_rc = bench::run_book_workload(std::cout, book_seed, book_orders);
    const bool engine_ok = app::run_engine_workload(std::cout, ew) > 0;
    return book_rc == 0 && engine_ok ? 0 : 1;
  }
  if (bench_markets->parsed()) {
    if (mw.spot_markets + mw.perp_markets == 0) {
      std::cerr << "bench markets: at least one market\n";
      return 2;
    }
    if (isatty(STDERR_FILENO)) mw.progress = &std::cerr;
    return app::run_markets_workload(std::cout, mw);
  }
  if (bench_crash->parsed()) {
    cb.shock_ppm = crash_shock_percent * 10'000;
    return app::run_crash_bench(std::cout, cb);
  }
  if (bench_journal->parsed()) return app::run_journal_bench(std::cout, jb);
  if (bench_api->parsed()) return app::run_api_bench(std::cout, ab);
  if (bench_claims->parsed()) return app::run_claims_bench(std::cout, claims_holders);
  if (bench_custody->parsed()) return app::run_custody_bench(std::cout, custody_bench);
  if (bench_publication->parsed()) return app::run_publication_bench(std::cout, pub);
  if (bench_proof->parsed()) {
    if (pbo_ten_million) pbo.accounts.push_back(10'000'000);
    return app::run_proof_bench(std::cout, pbo);
  }
  if (claims_report->parsed()) return app::run_claims_report(std::cout, claims_dir, claims_estate);
  if (witness_cmd->parsed()) return app::run_witness(witness);
  if (replay_cmd->parsed()) return app::run_replay(replay);
  if (checkpoint_cmd->parsed()) return app::run_checkpoint(cp_dir, cp_size);
  if (proof_incl->parsed()) return app::run_proof_inclusion(proof_dir, proof_seq, proof_size);
  if (proof_cons->parsed()) return app::run_proof_consistency(proof_dir, proof_old, proof_new);
  if (proof_build->parsed()) return app::run_proof_build(pb);
  if (proof_verify->parsed()) return app::run_proof_verify(pv_proof, pv_root, pv_key);
  if (proof_audit->parsed()) return app::run_proof_audit(pa_dir, pa_root, pa_key);
  if (proof_published->parsed()) return app::run_proof_published(pp_dir, pp_seq, pp_out);
  if (verify_incl->parsed()) return app::run_verify_inclusion(v_cp, v_proof, v_key, v_hash);
  if (verify_cons->parsed()) return app::run_verify_consistency(v_old, v_new, v_proof, v_key);
  if (genesis_check->parsed()) return app::run_genesis_check(genesis_file);
  if (genesis_demo->parsed()) return app::run_genesis_demo();
  if (stress_cmd->parsed()) return app::run_stress_command(stress_options);
  if (sim_cmd->parsed()) return app::run_sim_command(std::cout, sim_options);
  if (feed_cmd->parsed()) return app::run_oracle_feed(feed);
  if (genesis_init->parsed()) return app::run_genesis_init(gi);
  if (role_deposit->parsed()) return app::run_role_deposit(rc, rd);
  if (role_propose->parsed()) return app::run_role_propose(rc, role_proposal, role_config);
  if (role_approve->parsed()) return app::run_role_approve(rc, role_proposal, role_config);
  if (role_enact->parsed()) return app::run_role_enact(rc, role_proposal);
  if (role_wallet_cmd->parsed()) return app::run_role_register_wallet(rc, role_wallet);
  if (role_reconcile->parsed()) return app::run_role_reconcile(rc);
  if (role_resolve->parsed()) return app::run_role_resolve_alert(rc, role_alert, role_explanation);
  if (keys_new_cmd->parsed()) {
    keys_new.cost = keys_cost == "interactive" ? crypto::KdfCost::Interactive
                    : keys_cost == "sensitive" ? crypto::KdfCost::Sensitive
                                               : crypto::KdfCost::Moderate;
    return app::run_keys_new(keys_new);
  }
  if (keys_show_cmd->parsed()) return app::run_keys_show(keys_show_file);
  if (keys_cmd->parsed()) {
    crypto::ensure_sodium();
    crypto::Seed seed{};
    randombytes_buf(seed.data(), seed.size());
    auto kp = crypto::KeyPair::from_seed(seed);
    fmt::print("public key:  {}\n", crypto::base64_encode(kp.public_key()));
    fmt::print("secret seed: {}\n", crypto::base64_encode(seed));
    fmt::print("(keep the secret seed with its owner: the exchange only ever needs the public key)\n");
    return 0;
  }
  return 0;
}
