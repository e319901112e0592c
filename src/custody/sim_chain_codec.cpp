// The simulated chain's state as bytes (SimChain::encode/decode): what `glassbook chain-sim` keeps in
// its state file so that the chain survives a restart. Decoding re-derives everything it can.
#include <fmt/format.h>

#include "core/byte_io.h"
#include "custody/sim_chain.h"
#include "custody/sim_keys.h"

namespace glassbook::custody {

namespace {

constexpr uint32_t kFormatVersion = 1;
constexpr size_t kMaxBlocks = 10'000'000;
constexpr size_t kMaxTxsPerBlock = SimChain::kMaxMempool * SimChain::kMaxBlocksPerCall;

template <class IO, class Tx>
void tx_fields(IO& io, Tx& tx) {
  io.enum8("kind", tx.kind, 2);
  io.str("id", tx.id, 64);
  io.str("from", tx.from, kAddressHexChars);
  io.str("to", tx.to, kAddressHexChars);
  io.str("asset", tx.asset, 16);
  io.i64(tx.amount);
  io.i64(tx.fee);
  io.u64(tx.client_id);
  io.key(tx.key);
  io.key(tx.signature);
  io.boolean(tx.applied);
}

}  // namespace

std::string SimChain::encode() const {
  std::string out;
  ByteWriter w(out);
  w.str("magic", "glassbook-sim-chain", 32);
  w.u32(kFormatVersion);
  w.str("name", options_.name, 256);
  w.u64(options_.seed);
  w.i64(options_.min_fee);
  w.u64(blocks_mined_);
  w.u64(test_txs_);
  auto each_tx = [](ByteWriter& bw, const SimTx& tx) { tx_fields(bw, tx); };
  w.seq("blocks", blocks_, kMaxBlocks, [&](ByteWriter& bw, const SimBlock& b) {
    bw.str("hash", b.header.hash, 64);
    bw.u64(b.salt);
    bw.seq("txs", b.txs, kMaxTxsPerBlock, each_tx);
  });
  w.seq("mempool", mempool_, kMaxMempool, each_tx);
  return out;
}

Result<SimChain> SimChain::decode(std::string_view bytes) {
  ByteReader r(bytes, "simulated chain state");
  std::string magic;
  r.str("magic", magic, 32);
  uint32_t version = 0;
  r.u32(version);
  if (r.ok() && magic != "glassbook-sim-chain") return Status(Error::Corruption, "not a simulated chain's state file");
  if (r.ok() && version != kFormatVersion) return Status(Error::Corruption, fmt::format("state format v{}, this build reads v{}", version, kFormatVersion));
  SimChainOptions options;
  r.str("name", options.name, 256);
  r.u64(options.seed);
  r.i64(options.min_fee);
  uint64_t blocks_mined = 0, test_txs = 0;
  r.u64(blocks_mined);
  r.u64(test_txs);
  std::vector<SimBlock> blocks;
  auto each_tx = [](ByteReader& br, SimTx& tx) { tx_fields(br, tx); };
  r.seq("blocks", blocks, kMaxBlocks, [&](ByteReader& br, SimBlock& b) {
    br.str("hash", b.header.hash, 64);
    br.u64(b.salt);
    br.seq("txs", b.txs, kMaxTxsPerBlock, each_tx);
  });
  std::vector<SimTx> mempool;
  r.seq("mempool", mempool, kMaxMempool, each_tx);
  if (auto s = r.status(); !s) return Status(Error::Corruption, s.message());
  if (options.min_fee < 0 || options.min_fee > kMaxAmount) return Status(Error::Corruption, "minimum fee out of range");
  if (blocks.empty()) return Status(Error::Corruption, "no genesis block");

  // Rebuild from genesis, checking every stored hash, flag and signature against what this chain makes.
  SimChain chain(options);
  if (blocks[0].header.hash != chain.blocks_[0].header.hash || !blocks[0].txs.empty())
    return Status(Error::Corruption, "the genesis block is not this chain's (name and seed)");
  std::map<Key, int64_t> balances;
  uint64_t previous_salt = 0;
  for (uint64_t height = 1; height < blocks.size(); ++height) {
    SimBlock& b = blocks[height];
    if (b.salt <= previous_salt || b.salt >= blocks_mined) return Status(Error::Corruption, fmt::format("block {}: salt out of order", height));
    previous_salt = b.salt;
    std::vector<SimTx> replayed = b.txs;
    for (const SimTx& tx : replayed) {
      if (!is_address(tx.to) || !is_address(tx.from) || !is_asset_symbol(tx.asset) || tx.amount <= 0 || tx.amount > kMaxAmount ||
          tx.fee < 0 || tx.fee > kMaxAmount)
        return Status(Error::Corruption, fmt::format("block {}: transaction {} is malformed", height, tx.id));
      if (tx.kind == SimTx::Kind::Transfer &&
          (!crypto::verify(tx.key, transfer_signing_bytes(chain.chain_id(), tx.key, tx.to, tx.asset, tx.amount, tx.fee, tx.client_id), tx.signature) ||
           address_of(tx.key) != tx.from || chain.transfer_id(tx.from, tx.client_id) != tx.id))
        return Status(Error::Corruption, fmt::format("block {}: transfer {} is not signed by its sender", height, tx.id));
    }
    apply(replayed, balances);
    for (size_t i = 0; i < replayed.size(); ++i)
      if (replayed[i].applied != b.txs[i].applied)
        return Status(Error::Corruption, fmt::format("block {}: transaction {} is marked {} but {}", height, b.txs[i].id,
                                                     b.txs[i].applied ? "applied" : "failed", replayed[i].applied ? "pays" : "cannot pay"));
    b.txs = std::move(replayed);  // with the failure reasons, which the file does not keep
    b.header.height = height;
    b.header.parent_hash = blocks[height - 1].header.hash;
    if (chain.block_hash(blocks[height - 1].header, height, b.salt, b.txs) != b.header.hash)
      return Status(Error::Corruption, fmt::format("block {}: its hash does not match its contents", height));
  }
  for (const SimTx& tx : mempool) {
    if (tx.kind == SimTx::Kind::Transfer &&
        !crypto::verify(tx.key, transfer_signing_bytes(chain.chain_id(), tx.key, tx.to, tx.asset, tx.amount, tx.fee, tx.client_id), tx.signature))
      return Status(Error::Corruption, fmt::format("mempool: transfer {} is not signed by its sender", tx.id));
  }
  chain.blocks_ = std::move(blocks);
  chain.mempool_ = std::move(mempool);
  chain.blocks_mined_ = blocks_mined;
  chain.test_txs_ = test_txs;
  chain.rebuild_indexes();
  return chain;
}

}  // namespace glassbook::custody
