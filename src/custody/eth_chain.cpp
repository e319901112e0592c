// EthChain (eth_chain.h): Ethereum JSON-RPC requests written with fmt (every value is hex text),
// answers read with simdjson; amounts checked into int64.
#include "custody/eth_chain.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "custody/json_rpc_client.h"
#include "custody/json_text.h"

namespace glassbook::custody {

namespace dom = simdjson::dom;
using eth::AddressBytes;

namespace {

// A call may read every block of its range (ETH transfers are found only in blocks' transactions):
// the watcher asks for at most 1,000 at a time.
constexpr uint64_t kMaxBlocksPerCall = 10'000;
// Watched addresses per eth_getLogs request (nodes limit a request's size).
constexpr size_t kAddressesPerLogQuery = 500;
constexpr std::string_view kTransferTopic = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
constexpr std::string_view kBalanceOfSelector = "70a08231";

Status bad_answer(std::string_view method, std::string_view why) {
  return Status(Error::Io, fmt::format("eth node {}: unexpected answer: {}", method, why));
}

std::string strip0x(std::string_view hex) {
  std::string out(hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X') ? hex.substr(2) : hex);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Result<AddressBytes> address_arg(std::string_view text) {
  if (text.size() == 40) return eth::parse_address(fmt::format("0x{}", text));
  return eth::parse_address(text);
}

std::string_view text_at(dom::element e, const char* key) {
  std::string_view v;
  if (e[key].get(v) != simdjson::SUCCESS) return {};
  return v;
}

// 32-byte word holding an address (an indexed topic): 12 zero bytes, then the address.
std::string padded_address(const AddressBytes& a) { return "0x000000000000000000000000" + eth::lower_address(a).substr(2); }

Error error_from_message(std::string_view message) {
  if (message.find("insufficient funds") != std::string_view::npos) return Error::InsufficientFunds;
  if (message.find("signature") != std::string_view::npos) return Error::InvalidSignature;
  return Error::InvalidArgument;
}

}  // namespace

struct EthChain::Impl {
  Impl(RpcTransport transport, EthChainOptions o)
      : rpc(std::move(transport), "eth node", [](std::string_view message, std::string_view) { return error_from_message(message); },
            false),  // nodes echo the id; the scripted node of the unit tests answers 1 to every request
        options(std::move(o)) {}
  JsonRpcClient rpc;
  EthChainOptions options;
  std::optional<uint64_t> chain_id;

  // The "result" member of the answer to `method` (valid until the next call); a JSON-RPC error
  // comes back as a Status carrying the node's message.
  Result<dom::element> call(std::string_view method, std::string_view params_json) { return rpc.call(method, params_json); }

  Result<uint64_t> quantity(std::string_view method, std::string_view params_json) {
    auto r = call(method, params_json);
    if (!r) return r.status();
    std::string_view q;
    if (r->get(q) != simdjson::SUCCESS) return bad_answer(method, "not a quantity");
    auto v = eth::parse_quantity(q);
    if (!v) return bad_answer(method, v.status().message());
    return *v;
  }

  Result<uint64_t> block_number() { return quantity("eth_blockNumber", "[]"); }

  Result<BlockHeader> header_of(dom::element b) {
    auto number = eth::parse_quantity(text_at(b, "number"));
    if (!number) return bad_answer("eth_getBlockByNumber", "no number");
    BlockHeader h;
    h.height = *number;
    h.hash = strip0x(text_at(b, "hash"));
    if (h.hash.size() != 64) return bad_answer("eth_getBlockByNumber", "no hash");
    if (h.height > 0) h.parent_hash = strip0x(text_at(b, "parentHash"));
    return h;
  }

  // The block at `height` (with its transactions when `full`); InvalidArgument above the tip.
  Result<dom::element> block_at(uint64_t height, bool full) {
    auto r = call("eth_getBlockByNumber", fmt::format(R"(["{}",{}])", eth::quantity_hex(height), full));
    if (!r) return r.status();
    if (r->is_null()) return Status(Error::InvalidArgument, fmt::format("block {} is above the tip", height));
    if (!r->is_object()) return bad_answer("eth_getBlockByNumber", "not a block");
    return *r;
  }
};

EthChain::EthChain(RpcTransport transport, EthChainOptions options)
    : impl_(std::make_unique<Impl>(std::move(transport), std::move(options))) {}
EthChain::~EthChain() = default;

Result<BlockHeader> EthChain::tip() {
  auto n = impl_->block_number();
  if (!n) return n.status();
  return block(*n);
}

Result<BlockHeader> EthChain::block(uint64_t height) {
  auto b = impl_->block_at(height, false);
  if (!b) return b.status();
  return impl_->header_of(*b);
}

Result<std::vector<ObservedTransfer>> EthChain::transfers_to(const std::vector<Address>& addresses, uint64_t from_height,
                                                            uint64_t to_height) {
  if (from_height > to_height) return Status(Error::InvalidArgument, fmt::format("from height {} is above to height {}", from_height, to_height));
  if (to_height - from_height >= kMaxBlocksPerCall)
    return Status(Error::InvalidArgument, fmt::format("at most {} blocks a call", kMaxBlocksPerCall));
  std::set<std::string> watched;  // lower-case hex, no 0x
  std::vector<AddressBytes> watched_bytes;
  for (const Address& a : addresses) {
    auto parsed = address_arg(a);
    if (!parsed) return parsed.status();
    if (watched.insert(eth::lower_address(*parsed).substr(2)).second) watched_bytes.push_back(*parsed);
  }
  // Sorted by (height, transaction index, output index): chain order.
  std::map<std::tuple<uint64_t, uint64_t, uint32_t>, ObservedTransfer> found;
  std::map<uint64_t, std::string> block_hashes;
  if (watched.empty()) return std::vector<ObservedTransfer>{};

  // Ether: every transaction of every block in the range, and the receipt of those that pay a
  // watched address (a reverted transaction moved nothing).
  for (uint64_t h = from_height; h <= to_height; ++h) {
    auto b = impl_->block_at(h, true);
    if (!b) return b.status();
    auto header = impl_->header_of(*b);
    if (!header) return header.status();
    block_hashes[h] = header->hash;
    dom::array txs;
    if ((*b)["transactions"].get(txs) != simdjson::SUCCESS) return bad_answer("eth_getBlockByNumber", "no transactions");
    struct Candidate {
      std::string hash, from, to;
      uint64_t index;
      eth::Uint256 value;
    };
    std::vector<Candidate> candidates;
    for (dom::element tx : txs) {
      std::string_view to;
      if (tx["to"].get(to) != simdjson::SUCCESS) continue;  // null: a contract creation
      std::string to_hex = strip0x(to);
      if (!watched.count(to_hex)) continue;
      auto value = eth::parse_quantity256(text_at(tx, "value"));
      auto index = eth::parse_quantity(text_at(tx, "transactionIndex"));
      if (!value || !index) return bad_answer("eth_getBlockByNumber", "a transaction without value or index");
      if (*value == eth::Uint256{}) continue;
      candidates.push_back({strip0x(text_at(tx, "hash")), strip0x(text_at(tx, "from")), to_hex, *index, *value});
    }
    for (Candidate& c : candidates) {
      auto receipt = impl_->call("eth_getTransactionReceipt", fmt::format(R"(["0x{}"])", c.hash));
      if (!receipt) return receipt.status();
      if (receipt->is_null()) return bad_answer("eth_getTransactionReceipt", "no receipt for a mined transaction");
      if (text_at(*receipt, "status") != "0x1") continue;
      auto amount = eth::to_int64(c.value);
      if (!amount) return Status(Error::Overflow, fmt::format("transaction 0x{} pays {}: {}", c.hash, impl_->options.native_asset, amount.status().message()));
      found[{h, c.index, 0}] = ObservedTransfer{c.hash, 0, h, header->hash, c.from, c.to, impl_->options.native_asset, *amount};
    }
  }

  // Tokens: their Transfer logs whose recipient (the third topic) is watched.
  if (!impl_->options.tokens.empty()) {
    std::string contracts;
    for (const EthToken& t : impl_->options.tokens) contracts += fmt::format("{}\"{}\"", contracts.empty() ? "" : ",", eth::lower_address(t.contract));
    for (size_t start = 0; start < watched_bytes.size(); start += kAddressesPerLogQuery) {
      std::string recipients;
      for (size_t i = start; i < std::min(watched_bytes.size(), start + kAddressesPerLogQuery); ++i)
        recipients += fmt::format("{}\"{}\"", recipients.empty() ? "" : ",", padded_address(watched_bytes[i]));
      auto logs = impl_->call("eth_getLogs", fmt::format(R"([{{"fromBlock":"{}","toBlock":"{}","address":[{}],"topics":["{}",null,[{}]]}}])",
                                                         eth::quantity_hex(from_height), eth::quantity_hex(to_height), contracts,
                                                         kTransferTopic, recipients));
      if (!logs) return logs.status();
      dom::array list;
      if (logs->get(list) != simdjson::SUCCESS) return bad_answer("eth_getLogs", "not an array");
      for (dom::element log : list) {
        bool removed = false;
        if (log["removed"].get(removed) == simdjson::SUCCESS && removed) continue;
        dom::array topics;
        if (log["topics"].get(topics) != simdjson::SUCCESS || topics.size() != 3) continue;  // not ERC-20's indexed form
        std::string_view t0, t1, t2;
        if (topics.at(0).get(t0) || topics.at(1).get(t1) || topics.at(2).get(t2)) return bad_answer("eth_getLogs", "a topic is not text");
        if (strip0x(t0) != kTransferTopic.substr(2) || t1.size() != 66 || t2.size() != 66) continue;
        const std::string to = strip0x(t2.substr(26));
        const std::string contract = strip0x(text_at(log, "address"));
        auto token = std::find_if(impl_->options.tokens.begin(), impl_->options.tokens.end(),
                                  [&](const EthToken& t) { return eth::lower_address(t.contract).substr(2) == contract; });
        if (token == impl_->options.tokens.end() || !watched.count(to)) return bad_answer("eth_getLogs", "a log that was not asked for");
        auto height = eth::parse_quantity(text_at(log, "blockNumber"));
        auto tx_index = eth::parse_quantity(text_at(log, "transactionIndex"));
        auto log_index = eth::parse_quantity(text_at(log, "logIndex"));
        auto value = eth::parse_word(text_at(log, "data"));
        if (!height || !tx_index || !log_index || !value || *log_index >= UINT32_MAX)
          return bad_answer("eth_getLogs", "a Transfer log without block, indexes or a 32-byte value");
        if (*height < from_height || *height > to_height) return bad_answer("eth_getLogs", "a log outside the range asked for");
        const std::string block_hash = strip0x(text_at(log, "blockHash"));
        // The blocks read above and the logs must be the same chain; otherwise it moved meanwhile.
        if (block_hashes[*height] != block_hash)
          return Status(Error::Io, fmt::format("the chain changed at height {} during the call (a reorg): read again", *height));
        if (*value == eth::Uint256{}) continue;
        const std::string tx_hash = strip0x(text_at(log, "transactionHash"));
        auto amount = eth::to_int64(*value);
        if (!amount) return Status(Error::Overflow, fmt::format("transaction 0x{} pays {}: {}", tx_hash, token->asset, amount.status().message()));
        const auto index = static_cast<uint32_t>(*log_index + 1);
        found[{*height, *tx_index, index}] =
            ObservedTransfer{tx_hash, index, *height, block_hash, strip0x(t1.substr(26)), to, token->asset, *amount};
      }
    }
  }
  std::vector<ObservedTransfer> out;
  out.reserve(found.size());
  for (auto& [key, t] : found) out.push_back(std::move(t));
  return out;
}

Result<int64_t> EthChain::balance(const Address& address, const std::string& asset, uint64_t height) {
  auto a = address_arg(address);
  if (!a) return a.status();
  eth::Uint256 value{};
  if (asset == impl_->options.native_asset) {
    auto r = impl_->call("eth_getBalance", fmt::format(R"(["{}","{}"])", eth::lower_address(*a), eth::quantity_hex(height)));
    if (!r) return r.status();
    std::string_view q;
    if (r->get(q) != simdjson::SUCCESS) return bad_answer("eth_getBalance", "not a quantity");
    auto v = eth::parse_quantity256(q);
    if (!v) return bad_answer("eth_getBalance", v.status().message());
    value = *v;
  } else {
    auto token = std::find_if(impl_->options.tokens.begin(), impl_->options.tokens.end(), [&](const EthToken& t) { return t.asset == asset; });
    if (token == impl_->options.tokens.end())
      return Status(Error::InvalidArgument, fmt::format("asset {} is not followed on this chain", asset.substr(0, 32)));
    const std::string data = fmt::format("0x{}{}", kBalanceOfSelector, padded_address(*a).substr(2));
    auto r = impl_->call("eth_call", fmt::format(R"([{{"to":"{}","data":"{}"}},"{}"])", eth::lower_address(token->contract), data,
                                                 eth::quantity_hex(height)));
    if (!r) return r.status();
    std::string_view word;
    if (r->get(word) != simdjson::SUCCESS) return bad_answer("eth_call", "not data");
    auto v = eth::parse_word(word);
    if (!v) return bad_answer("eth_call balanceOf", v.status().message());
    value = *v;
  }
  auto amount = eth::to_int64(value);
  if (!amount) return Status(Error::Overflow, fmt::format("{}'s {} balance: {}", address, asset, amount.status().message()));
  return *amount;
}

Result<TxId> EthChain::send(const SignedTransfer&) {
  return Status(Error::InvalidArgument, "an Ethereum transfer is a signed EIP-1559 transaction: send it with send_raw");
}

Result<TxStatus> EthChain::status(const TxId& tx_id) {
  const std::string id = strip0x(tx_id);
  if (id.size() != 64 || id.find_first_not_of("0123456789abcdef") != std::string::npos)
    return Status(Error::InvalidArgument, fmt::format("'{}' is not a transaction hash", tx_id.substr(0, 80)));
  auto receipt = impl_->call("eth_getTransactionReceipt", fmt::format(R"(["0x{}"])", id));
  if (!receipt) return receipt.status();
  TxStatus s;
  if (receipt->is_null()) {
    auto tx = impl_->call("eth_getTransactionByHash", fmt::format(R"(["0x{}"])", id));
    if (!tx) return tx.status();
    s.state = tx->is_null() ? TxState::Unknown : TxState::Pending;
    return s;
  }
  auto height = eth::parse_quantity(text_at(*receipt, "blockNumber"));
  if (!height) return bad_answer("eth_getTransactionReceipt", "no block number");
  s.height = *height;
  s.block_hash = strip0x(text_at(*receipt, "blockHash"));
  if (text_at(*receipt, "status") == "0x1") {
    auto tip = impl_->block_number();
    if (!tip) return tip.status();
    s.state = TxState::Confirmed;
    s.confirmations = *tip >= *height ? *tip - *height + 1 : 0;
  } else {
    s.state = TxState::Failed;
    s.reason = "reverted";
  }
  return s;
}

Result<uint64_t> EthChain::chain_id() {
  if (!impl_->chain_id) {
    auto id = impl_->quantity("eth_chainId", "[]");
    if (!id) return id.status();
    impl_->chain_id = *id;
  }
  return *impl_->chain_id;
}

Result<uint64_t> EthChain::next_nonce(const Address& address) {
  auto a = address_arg(address);
  if (!a) return a.status();
  return impl_->quantity("eth_getTransactionCount", fmt::format(R"(["{}","pending"])", eth::lower_address(*a)));
}

Result<uint64_t> EthChain::base_fee() {
  auto b = impl_->call("eth_getBlockByNumber", R"(["latest",false])");
  if (!b) return b.status();
  if (!b->is_object()) return bad_answer("eth_getBlockByNumber", "not a block");
  auto fee = eth::parse_quantity(text_at(*b, "baseFeePerGas"));
  if (!fee) return bad_answer("eth_getBlockByNumber", "no baseFeePerGas (a chain before EIP-1559)");
  return *fee;
}

Result<TxId> EthChain::send_raw(const eth::Bytes& raw, const Address& expected_sender) {
  auto expected = address_arg(expected_sender);
  if (!expected) return expected.status();
  auto decoded = eth::decode_signed(raw);
  if (!decoded) return decoded.status();
  auto id = chain_id();
  if (!id) return id.status();
  if (decoded->signed_tx.tx.chain_id != *id)
    return Status(Error::InvalidArgument, fmt::format("transaction signed for chain {}, the node is chain {}", decoded->signed_tx.tx.chain_id, *id));
  if (decoded->sender != *expected)
    return Status(Error::InvalidSignature, fmt::format("transaction signed by {}, not by {}", eth::checksum_address(decoded->sender),
                                                       eth::checksum_address(*expected)));
  const std::string hash = eth::data_hex(decoded->signed_tx.hash);
  // Sent before (pending or mined): the hash is the answer, and the bytes are not sent again. Asked
  // first rather than left to the node: ganache 7.9.2 executed the same signed bytes a second time
  // when they were sent again after being mined (tests/eth/eth_node_test.cpp saw 0.2 ether move for
  // one 0.1 ether transaction).
  auto known = impl_->call("eth_getTransactionByHash", fmt::format(R"(["{}"])", hash));
  if (!known) return known.status();
  if (!known->is_null()) return hash.substr(2);
  auto r = impl_->call("eth_sendRawTransaction", fmt::format(R"(["{}"])", eth::data_hex(raw)));
  if (!r) return r.status();
  std::string_view answered;
  if (r->get(answered) != simdjson::SUCCESS || strip0x(answered) != hash.substr(2))
    return bad_answer("eth_sendRawTransaction", "another transaction hash than the transaction's");
  return hash.substr(2);
}

Result<std::string> EthChain::call_raw(const std::string& method, const std::string& params_json) {
  auto r = impl_->call(method, params_json);
  if (!r) return r.status();
  return std::string(simdjson::minify(*r));
}

eth::Bytes erc20_transfer_data(const eth::AddressBytes& to, uint64_t amount) {
  // selector, the address left-padded to 32 bytes, the amount as a 32-byte word; sized once (growing
  // the vector trips GCC 12's false -Warray-bounds at -O3).
  constexpr uint8_t kSelector[4] = {0xa9, 0x05, 0x9c, 0xbb};  // Keccak-256("transfer(address,uint256)")[0..4]
  const eth::Uint256 value = eth::from_uint64(amount);
  eth::Bytes data(4 + 12 + to.size() + value.size(), 0);
  auto at = std::copy(std::begin(kSelector), std::end(kSelector), data.begin()) + 12;
  at = std::copy(to.begin(), to.end(), at);
  std::copy(value.begin(), value.end(), at);
  return data;
}

}  // namespace glassbook::custody
