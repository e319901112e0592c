// The simulated chain's blocks, mempool, balances and reorgs (sim_chain.h).
#include "custody/sim_chain.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "crypto/sha256.h"
#include "custody/sim_keys.h"

namespace glassbook::custody {

namespace {

std::string hex(const crypto::Digest& d) { return crypto::to_hex(std::span<const uint8_t>(d.data(), d.size())); }

bool add(int64_t& to, int64_t v) { return !__builtin_add_overflow(to, v, &to); }

}  // namespace

std::string_view tx_state_name(TxState s) {
  switch (s) {
    case TxState::Unknown: return "unknown";
    case TxState::Pending: return "pending";
    case TxState::Confirmed: return "confirmed";
    case TxState::Failed: return "failed";
  }
  return "unknown";
}

SimChain::SimChain(SimChainOptions options) : options_(std::move(options)) {
  GB_ASSERT(options_.min_fee >= 0 && options_.min_fee <= kMaxAmount);
  crypto::Sha256 h;
  h.update("glassbook-sim-chain/genesis/v1");
  h.update(chain_id());
  SimBlock genesis;
  genesis.header.height = 0;
  genesis.header.hash = hex(h.finish());
  blocks_.push_back(std::move(genesis));
  blocks_mined_ = 1;
}

std::string SimChain::chain_id() const { return fmt::format("{}/{}", options_.name, options_.seed); }

BlockHash SimChain::block_hash(const BlockHeader& parent, uint64_t height, uint64_t salt, const std::vector<SimTx>& txs) const {
  crypto::Sha256 h;
  h.update("glassbook-sim-chain/block/v1");
  h.update(chain_id());
  h.update(parent.hash);
  h.update_u64(height);
  h.update_u64(salt);
  for (const SimTx& tx : txs) {
    h.update(tx.id);
    h.update_u8(tx.applied ? 1 : 0);
  }
  return hex(h.finish());
}

TxId SimChain::transfer_id(const Address& from, uint64_t client_id) const { return sim_transfer_id(chain_id(), from, client_id); }

TxId SimChain::test_tx_id(SimTx::Kind kind) {
  crypto::Sha256 h;
  h.update("glassbook-sim-chain/test-tx/v1");
  h.update(chain_id());
  h.update_u8(static_cast<uint8_t>(kind));
  h.update_u64(test_txs_++);
  return hex(h.finish());
}

Result<BlockHeader> SimChain::block(uint64_t height) {
  if (height >= blocks_.size())
    return Status(Error::InvalidArgument, fmt::format("no block at height {}: the tip is {}", height, blocks_.size() - 1));
  return blocks_[height].header;
}

Result<std::vector<ObservedTransfer>> SimChain::transfers_to(const std::vector<Address>& addresses, uint64_t from_height,
                                                             uint64_t to_height) {
  const uint64_t tip_height = blocks_.size() - 1;
  if (from_height > to_height) return Status(Error::InvalidArgument, fmt::format("fromHeight {} is above toHeight {}", from_height, to_height));
  if (to_height > tip_height) return Status(Error::InvalidArgument, fmt::format("toHeight {} is above the tip {}", to_height, tip_height));
  if (to_height - from_height >= kMaxQueryBlocks)
    return Status(Error::InvalidArgument, fmt::format("at most {} blocks per query", kMaxQueryBlocks));
  if (addresses.size() > kMaxQueryAddresses) return Status(Error::InvalidArgument, fmt::format("at most {} addresses per query", kMaxQueryAddresses));
  for (const Address& a : addresses)
    if (!is_address(a)) return Status(Error::InvalidArgument, fmt::format("{} is not an address (40 lower-case hex digits)", a));
  const std::set<Address> wanted(addresses.begin(), addresses.end());
  std::vector<ObservedTransfer> out;
  for (uint64_t height = from_height; height <= to_height; ++height) {
    const SimBlock& b = blocks_[height];
    for (const SimTx& tx : b.txs) {
      if (!tx.applied || !wanted.contains(tx.to)) continue;
      out.push_back(ObservedTransfer{tx.id, 0, height, b.header.hash, tx.from, tx.to, tx.asset, tx.amount});
    }
  }
  return out;
}

Result<int64_t> SimChain::balance(const Address& address, const std::string& asset, uint64_t height) {
  if (!is_address(address)) return Status(Error::InvalidArgument, fmt::format("{} is not an address (40 lower-case hex digits)", address));
  if (!is_asset_symbol(asset)) return Status(Error::InvalidArgument, fmt::format("{} is not an asset symbol", asset));
  if (height >= blocks_.size()) return Status(Error::InvalidArgument, fmt::format("height {} is above the tip {}", height, blocks_.size() - 1));
  if (height + 1 == blocks_.size()) {
    auto it = balances_.find({address, asset});
    return it == balances_.end() ? 0 : it->second;
  }
  // A past height: the chain's blocks up to it, replayed for this address (a simulation keeps no
  // per-height index; its chains are thousands of blocks, not millions).
  int64_t balance = 0;
  for (uint64_t h = 1; h <= height; ++h) {
    for (const SimTx& tx : blocks_[h].txs) {
      if (!tx.applied || tx.asset != asset) continue;
      if (tx.to == address) balance += tx.amount;
      if (tx.from == address && tx.kind != SimTx::Kind::Faucet) balance -= tx.amount + tx.fee;
      if (address == kFeeAddress) balance += tx.fee;
    }
  }
  return balance;
}

int64_t SimChain::available(const Key& key) const {
  auto b = balances_.find(key);
  auto p = pending_out_.find(key);
  return (b == balances_.end() ? 0 : b->second) - (p == pending_out_.end() ? 0 : p->second);
}

Status SimChain::admit(SimTx tx) {
  if (mempool_.size() >= kMaxMempool) return Status(Error::Overloaded, fmt::format("the mempool holds {} transactions: mine first", kMaxMempool));
  if (tx.kind != SimTx::Kind::Faucet) {
    const Key key{tx.from, tx.asset};
    const int64_t cost = tx.amount + tx.fee;  // both <= kMaxAmount: no overflow
    const int64_t have = available(key);
    if (have < cost)
      return Status(Error::InsufficientFunds, fmt::format("{} has {} {} not already spent by pending transfers; this needs {} (amount {} + fee {})",
                                                          tx.from, have, tx.asset, cost, tx.amount, tx.fee));
    pending_out_[key] += cost;
  }
  pending_[tx.id] = mempool_.size();
  mempool_.push_back(std::move(tx));
  return {};
}

Result<TxId> SimChain::send(const SignedTransfer& t) {
  auto key = crypto::public_key_from_base64(t.public_key);
  if (!key) return Status(Error::InvalidArgument, "publicKey is not a base64 Ed25519 key");
  auto sig = crypto::signature_from_base64(t.signature);
  if (!sig) return Status(Error::InvalidSignature, "signature is not a base64 Ed25519 signature");
  if (!is_address(t.to)) return Status(Error::InvalidArgument, fmt::format("to: {} is not an address (40 lower-case hex digits)", t.to));
  if (!is_asset_symbol(t.asset)) return Status(Error::InvalidArgument, fmt::format("asset: {} is not a symbol (1 to 16 of A-Z, 0-9)", t.asset));
  if (t.amount <= 0 || t.amount > kMaxAmount) return Status(Error::InvalidQuantity, fmt::format("amount {} is not within 1..{}", t.amount, kMaxAmount));
  if (t.fee < options_.min_fee || t.fee > kMaxAmount)
    return Status(Error::InvalidArgument, fmt::format("fee {} is below the chain's minimum {} (or above {})", t.fee, options_.min_fee, kMaxAmount));
  const std::string bytes = transfer_signing_bytes(chain_id(), *key, t.to, t.asset, t.amount, t.fee, t.client_id);
  if (!crypto::verify(*key, bytes, *sig))
    return Status(Error::InvalidSignature, "the signature does not verify for this transfer on this chain with this key");
  SimTx tx;
  tx.kind = SimTx::Kind::Transfer;
  tx.from = address_of(*key);
  tx.id = transfer_id(tx.from, t.client_id);
  tx.to = t.to;
  tx.asset = t.asset;
  tx.amount = t.amount;
  tx.fee = t.fee;
  tx.client_id = t.client_id;
  tx.key = *key;
  tx.signature = *sig;
  // The same client id again: the same transfer is answered with its id (an idempotent broadcast);
  // another one is refused, since the id already names a transfer.
  const SimTx* existing = nullptr;
  if (auto p = pending_.find(tx.id); p != pending_.end()) existing = &mempool_[p->second];
  if (auto m = mined_.find(tx.id); m != mined_.end()) {
    for (const SimTx& mined : blocks_[m->second].txs)
      if (mined.id == tx.id) existing = &mined;
  }
  if (existing != nullptr) {
    if (existing->to == tx.to && existing->asset == tx.asset && existing->amount == tx.amount && existing->fee == tx.fee) return tx.id;
    return Status(Error::InvalidArgument,
                  fmt::format("client id {} of {} already names another transfer ({})", t.client_id, tx.from, tx.id));
  }
  TxId id = tx.id;
  if (auto s = admit(std::move(tx)); !s) return s;
  return id;
}

Result<TxStatus> SimChain::status(const TxId& tx_id) {
  TxStatus s;
  if (pending_.contains(tx_id)) {
    s.state = TxState::Pending;
    return s;
  }
  auto m = mined_.find(tx_id);
  if (m == mined_.end()) return s;  // Unknown
  const SimBlock& b = blocks_[m->second];
  for (const SimTx& tx : b.txs) {
    if (tx.id != tx_id) continue;
    s.height = b.header.height;
    s.block_hash = b.header.hash;
    if (tx.applied) {
      s.state = TxState::Confirmed;
      s.confirmations = blocks_.size() - b.header.height;
    } else {
      s.state = TxState::Failed;
      s.reason = tx.failure;
    }
  }
  return s;
}

Result<TxId> SimChain::faucet(const Address& to, const std::string& asset, int64_t amount) {
  if (!is_address(to)) return Status(Error::InvalidArgument, fmt::format("{} is not an address (40 lower-case hex digits)", to));
  return admit_unsigned(SimTx::Kind::Faucet, kMintAddress, to, asset, amount);
}

Result<TxId> SimChain::steal(const Address& from, const Address& to, const std::string& asset, int64_t amount) {
  if (!is_address(from) || !is_address(to)) return Status(Error::InvalidArgument, "from and to must be addresses (40 lower-case hex digits)");
  return admit_unsigned(SimTx::Kind::Steal, from, to, asset, amount);
}

Result<TxId> SimChain::admit_unsigned(SimTx::Kind kind, const Address& from, const Address& to, const std::string& asset, int64_t amount) {
  if (!is_asset_symbol(asset)) return Status(Error::InvalidArgument, fmt::format("{} is not an asset symbol (1 to 16 of A-Z, 0-9)", asset));
  if (amount <= 0 || amount > kMaxAmount) return Status(Error::InvalidQuantity, fmt::format("amount {} is not within 1..{}", amount, kMaxAmount));
  SimTx tx;
  tx.kind = kind;
  tx.id = test_tx_id(tx.kind);
  tx.from = from;
  tx.to = to;
  tx.asset = asset;
  tx.amount = amount;
  TxId id = tx.id;
  if (auto s = admit(std::move(tx)); !s) {
    --test_txs_;
    return s;
  }
  return id;
}

void SimChain::apply(std::vector<SimTx>& txs, std::map<Key, int64_t>& balances) {
  for (SimTx& tx : txs) {
    tx.applied = false;
    tx.failure.clear();
    const Key from{tx.from, tx.asset}, to{tx.to, tx.asset}, fees{kFeeAddress, tx.asset};
    if (tx.kind != SimTx::Kind::Faucet && balances[from] < tx.amount + tx.fee) {
      tx.failure = fmt::format("{} no longer holds {} {} (amount {} + fee {})", tx.from, tx.amount + tx.fee, tx.asset, tx.amount, tx.fee);
      continue;
    }
    int64_t to_after = balances[to], fees_after = balances[fees];
    if (!add(to_after, tx.amount) || (tx.to == kFeeAddress && !add(to_after, tx.fee)) || !add(fees_after, tx.fee)) {
      tx.failure = "the recipient's balance would overflow";
      continue;
    }
    if (tx.kind != SimTx::Kind::Faucet) balances[from] -= tx.amount + tx.fee;
    balances[to] += tx.amount;
    balances[fees] += tx.fee;
    tx.applied = true;
  }
}

Result<BlockHeader> SimChain::mine(uint64_t count) {
  if (count == 0 || count > kMaxBlocksPerCall) return Status(Error::InvalidArgument, fmt::format("blocks must be within 1..{}", kMaxBlocksPerCall));
  for (uint64_t i = 0; i < count; ++i) {
    SimBlock b;
    b.header.height = blocks_.size();
    b.header.parent_hash = blocks_.back().header.hash;
    b.salt = blocks_mined_++;
    b.txs = std::move(mempool_);
    mempool_.clear();
    apply(b.txs, balances_);
    b.header.hash = block_hash(blocks_.back().header, b.header.height, b.salt, b.txs);
    for (const SimTx& tx : b.txs) mined_[tx.id] = b.header.height;
    blocks_.push_back(std::move(b));
  }
  pending_.clear();
  pending_out_.clear();
  return blocks_.back().header;
}

Result<BlockHeader> SimChain::reorg(uint64_t depth, bool drop) {
  const uint64_t height = blocks_.size() - 1;
  if (depth == 0 || depth > height || depth >= kMaxBlocksPerCall)
    return Status(Error::InvalidArgument, fmt::format("depth must be within 1..{} (the tip is {}; genesis stays)", std::min(height, kMaxBlocksPerCall - 1), height));
  std::vector<SimTx> returned;
  for (uint64_t h = height - depth + 1; h <= height; ++h)
    for (SimTx& tx : blocks_[h].txs) returned.push_back(std::move(tx));
  blocks_.resize(height - depth + 1);
  if (!drop) {
    for (SimTx& tx : mempool_) returned.push_back(std::move(tx));
    mempool_ = std::move(returned);
  }
  rebuild_indexes();
  return mine(depth + 1);
}

void SimChain::rebuild_indexes() {
  balances_.clear();
  mined_.clear();
  for (SimBlock& b : blocks_) {
    apply(b.txs, balances_);
    for (const SimTx& tx : b.txs) mined_[tx.id] = b.header.height;
  }
  pending_.clear();
  pending_out_.clear();
  for (size_t i = 0; i < mempool_.size(); ++i) {
    const SimTx& tx = mempool_[i];
    pending_[tx.id] = i;
    if (tx.kind != SimTx::Kind::Faucet) pending_out_[{tx.from, tx.asset}] += tx.amount + tx.fee;
  }
}

}  // namespace glassbook::custody
