// `glassbook chain-watch`: a chain watcher as a process of its own. It follows a chain (today the
// simulated one or an Ethereum node, over their JSON-RPC), and once a transfer to a deposit address of the address book has
// the configured confirmations it signs the exchange's deposit command with its chain-watcher key and
// posts it to the gateway. Its cursor file makes a restart resume; a reorg below it is reported.
// `glassbook deposit-addresses` writes the address book it reads, or records it at the exchange, from
// which `chain-watch --addresses-from` can read it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "app/passphrase.h"

namespace glassbook::app {

struct ChainWatchOptions {
  std::string chain_url;     // the chain's JSON-RPC, http://host:port (glassbook chain-sim) ...
  std::string eth_url;       // ... or an Ethereum node's JSON-RPC (custody::EthChain)
  std::vector<std::string> tokens;  // with eth_url: ERC-20 tokens to follow, "ASSET=0xCONTRACT"
  std::string url;           // the exchange's gateway, http://host:port
  bool demo = false;         // sign with the demo's public chain-watcher key and use the demo's assets
  std::string key_file;      // otherwise: the sealed chain-watcher key ...
  PassphraseSource passphrase;
  std::string genesis;       // ... and the exchange's genesis file (its asset list)
  std::string addresses;     // the address book (glassbook deposit-addresses) ...
  std::string addresses_from;  // ... or the blockchain whose addresses the exchange recorded (read at start from --url)
  std::string blockchain;    // the exchange's name of the chain in withdrawals (default: the sim chain's name, or Ethereum)
  std::string cursor = "chain-watch.cursor";
  uint64_t confirmations = 6;
  uint64_t from_height = 0;  // where a new cursor starts
  double interval_seconds = 1.0;
  double seconds = 0;        // stop after this long; 0: on SIGINT/SIGTERM
};

// Exit status: 0 after a clean stop; 1 when it cannot start; 3 when it stopped because of a reorg
// deeper than its cursor remembers (an operator must look before anything more is credited).
int run_chain_watch(const ChainWatchOptions& options);

struct DepositAddressesOptions {
  bool demo = false;  // the demo's public root (a real exchange's root stays with its custodians)
  bool eth = false;   // Ethereum addresses (secp256k1 keys) instead of the simulated chain's
  std::vector<uint32_t> accounts;
  std::vector<std::string> assets;  // default: every asset of the demo
  std::string out;         // the address book file to write, and/or ...
  std::string submit_url;  // ... the exchange to record them at (RecordDepositAddress, demo chain-watcher key)
  std::string blockchain;  // the chain they are recorded on (default: "sim", with --eth "Ethereum")
};
int run_deposit_addresses(const DepositAddressesOptions& options);

}  // namespace glassbook::app
