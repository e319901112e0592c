// A deterministic simulated chain for tests and the demo: blocks mined on request, confirmations,
// fees, reorgs of any depth, Ed25519-signed transfers, and a byte image that survives a restart.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "crypto/ed25519.h"
#include "custody/chain.h"

namespace glassbook::custody {

struct SimChainOptions {
  std::string name = "sim";  // with the seed, the chain's id: transfers signed for another chain do not verify here
  uint64_t seed = 1;         // fixes the genesis hash and so every block hash after it
  int64_t min_fee = 10;      // smallest units of the transferred asset, paid to the fee address
};

// One transaction as the chain keeps it. Faucet and Steal are the simulation's own (test commands):
// they carry no signature.
struct SimTx {
  enum class Kind : uint8_t { Transfer = 0, Faucet = 1, Steal = 2 };
  Kind kind = Kind::Transfer;
  TxId id;
  Address from;  // Faucet: kMintAddress
  Address to;
  std::string asset;
  int64_t amount = 0;
  int64_t fee = 0;
  uint64_t client_id = 0;
  crypto::PublicKey key{};        // Transfer: the sender's key
  crypto::Signature signature{};  // Transfer: over transfer_signing_bytes
  bool applied = false;           // in a block: whether it moved funds (false: failed, `failure` says why)
  std::string failure;
};

struct SimBlock {
  BlockHeader header;
  uint64_t salt = 0;  // the chain's count of blocks mined before this one: a re-mined height gets a new hash
  std::vector<SimTx> txs;
};

class SimChain : public Chain {
 public:
  // Every limit is a bound on memory or on one call's work; the state file holds all of it.
  static constexpr size_t kMaxMempool = 10'000;
  static constexpr uint64_t kMaxBlocksPerCall = 1'000;    // mine and reorg depth
  static constexpr uint64_t kMaxQueryBlocks = 100'000;    // transfers_to's range
  static constexpr size_t kMaxQueryAddresses = 100'000;
  static constexpr int64_t kMaxAmount = int64_t{1} << 60;  // any one amount or fee
  static inline const Address kMintAddress = std::string(40, '0');  // where faucet credits come from
  static inline const Address kFeeAddress = std::string(39, '0') + "f";  // where fees go

  explicit SimChain(SimChainOptions options);

  const SimChainOptions& options() const { return options_; }
  // name + "/" + seed: what transfer signatures bind to.
  std::string chain_id() const;

  // Chain
  Result<BlockHeader> tip() override { return blocks_.back().header; }
  Result<BlockHeader> block(uint64_t height) override;
  Result<std::vector<ObservedTransfer>> transfers_to(const std::vector<Address>& addresses, uint64_t from_height,
                                                     uint64_t to_height) override;
  Result<int64_t> balance(const Address& address, const std::string& asset, uint64_t height) override;
  // Checks the key, the signature, the fee and that the sender can pay amount + fee with what
  // pending transfers have not already spent; the transfer then waits in the mempool.
  Result<TxId> send(const SignedTransfer& transfer) override;
  Result<TxStatus> status(const TxId& tx_id) override;

  // Test commands.
  Result<TxId> faucet(const Address& to, const std::string& asset, int64_t amount);
  // Moves funds out of `from` without its key (a hack, for the reconciliation tests).
  Result<TxId> steal(const Address& from, const Address& to, const std::string& asset, int64_t amount);
  // Mines `count` blocks; the first takes the whole mempool, in arrival order.
  Result<BlockHeader> mine(uint64_t count);
  // Removes the newest `depth` blocks and mines depth + 1 new ones on the block below them, so the
  // new chain is longer and every removed height has another hash. Removed transactions go back to
  // the mempool (and into the first new block) unless `drop`: then they vanish (their status is
  // Unknown), as a double spend that won the race would make them.
  Result<BlockHeader> reorg(uint64_t depth, bool drop);

  const SimBlock& block_at(uint64_t height) const { return blocks_.at(height); }
  const std::vector<SimTx>& mempool() const { return mempool_; }

  // The whole state as bytes (format v1: every block and the mempool) and back. decode() checks
  // everything it reads: each block's hash, each signature, and that every transfer marked applied
  // could pay; a file altered by hand is refused, never half loaded.
  std::string encode() const;
  static Result<SimChain> decode(std::string_view bytes);

 private:
  using Key = std::pair<Address, std::string>;  // (address, asset)

  BlockHash block_hash(const BlockHeader& parent, uint64_t height, uint64_t salt, const std::vector<SimTx>& txs) const;
  TxId transfer_id(const Address& from, uint64_t client_id) const;
  TxId test_tx_id(SimTx::Kind kind);
  // Applies a mined block's transactions to `balances`, deciding each one's `applied`.
  static void apply(std::vector<SimTx>& txs, std::map<Key, int64_t>& balances);
  Status admit(SimTx tx);  // to the mempool, after the funds check
  // A faucet credit or a theft, unsigned (test-only): the asset and amount checked, then admitted.
  Result<TxId> admit_unsigned(SimTx::Kind kind, const Address& from, const Address& to, const std::string& asset, int64_t amount);
  void rebuild_indexes();
  int64_t available(const Key& key) const;

  SimChainOptions options_;
  std::vector<SimBlock> blocks_;  // [0] is genesis
  std::vector<SimTx> mempool_;
  uint64_t blocks_mined_ = 0;     // salt of the next block
  uint64_t test_txs_ = 0;         // faucet and steal ids are numbered
  std::map<Key, int64_t> balances_;     // at the tip
  std::map<Key, int64_t> pending_out_;  // amount + fee of mempool transactions, by sender
  std::map<TxId, uint64_t> mined_;      // tx id -> height
  std::map<TxId, size_t> pending_;      // tx id -> mempool index
};

}  // namespace glassbook::custody
