// The exchange's view of one blockchain: tip and block hashes (so reorgs show), transfers to
// addresses, balances at a height, broadcast of signed transfers, confirmations. Amounts are integers.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace glassbook::custody {

// Addresses, transaction ids and block hashes are lower-case hex text, as chains print them.
using Address = std::string;
using TxId = std::string;
using BlockHash = std::string;

struct BlockHeader {
  uint64_t height = 0;
  BlockHash hash;
  BlockHash parent_hash;  // empty for the genesis block (height 0)
  bool operator==(const BlockHeader&) const = default;
};

// One credit of `amount` of `asset` to `to`, as a block holds it. `index` tells apart the outputs of
// one transaction (a chain whose transactions pay one address each always says 0).
struct ObservedTransfer {
  TxId tx_id;
  uint32_t index = 0;
  uint64_t height = 0;
  BlockHash block_hash;
  Address from;
  Address to;
  std::string asset;   // the chain's symbol, e.g. "BTC"
  int64_t amount = 0;  // the asset's smallest units, > 0
  bool operator==(const ObservedTransfer&) const = default;
};

// A transfer signed by the key of the address it spends from. `client_id` is the sender's own
// number for it: sending the same signed transfer again is answered with the same transaction id and
// moves nothing twice (an idempotent broadcast); another transfer under the same id is refused.
struct SignedTransfer {
  std::string public_key;  // base64 Ed25519 key whose address is `from`
  Address to;
  std::string asset;
  int64_t amount = 0;  // > 0
  int64_t fee = 0;     // paid on top of `amount`, at least the chain's minimum
  uint64_t client_id = 0;
  std::string signature;  // base64 Ed25519 signature of the chain's signing bytes
};

enum class TxState : uint8_t {
  Unknown = 0,    // never seen, or dropped by a reorg
  Pending = 1,    // waiting to be mined
  Confirmed = 2,  // in a block of the current chain
  Failed = 3,     // mined but refused (the sender no longer had the funds): nothing moved
};

struct TxStatus {
  TxState state = TxState::Unknown;
  uint64_t height = 0;         // Confirmed or Failed: the block's height
  BlockHash block_hash;        // Confirmed or Failed
  uint64_t confirmations = 0;  // Confirmed: tip - height + 1
  std::string reason;          // Failed: why
};

// One chain. Calls may fail (Error::Io when the chain cannot be reached, InvalidArgument for bad
// input, InsufficientFunds, InvalidSignature...); a failed call changes nothing.
class Chain {
 public:
  virtual ~Chain() = default;
  virtual Result<BlockHeader> tip() = 0;
  // The block at `height` on the current chain; InvalidArgument above the tip.
  virtual Result<BlockHeader> block(uint64_t height) = 0;
  // Transfers to any of `addresses` in blocks from_height..to_height (inclusive), in chain order.
  virtual Result<std::vector<ObservedTransfer>> transfers_to(const std::vector<Address>& addresses, uint64_t from_height,
                                                             uint64_t to_height) = 0;
  // `address`'s balance of `asset` after the block at `height`.
  virtual Result<int64_t> balance(const Address& address, const std::string& asset, uint64_t height) = 0;
  virtual Result<TxId> send(const SignedTransfer& transfer) = 0;
  virtual Result<TxStatus> status(const TxId& tx_id) = 0;
};

std::string_view tx_state_name(TxState s);

}  // namespace glassbook::custody
