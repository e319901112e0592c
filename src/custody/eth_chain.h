// The chain interface over an Ethereum node's JSON-RPC (any node: geth, ganache, a provider): blocks
// and their hashes for reorg detection, native ETH transfers found in blocks' transactions, ERC-20
// Transfer logs, balances at a height (eth_getBalance, balanceOf through eth_call), and broadcast of
// EIP-1559 transactions signed by our own keys (eth_tx.h), followed through their receipts.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "custody/chain.h"
#include "custody/eth_tx.h"
#include "custody/sim_chain_client.h"  // RpcTransport

namespace glassbook::custody {

// An ERC-20 token the adapter follows, under the symbol the exchange knows it by.
struct EthToken {
  std::string asset;  // e.g. "USDC"
  eth::AddressBytes contract{};
};

struct EthChainOptions {
  std::string native_asset = "ETH";  // the symbol of ether (amounts in wei)
  std::vector<EthToken> tokens;      // amounts in each token's smallest units
};

// Addresses, transaction ids and block hashes cross the interface as lower-case hex without "0x"
// (the form of the deposit address book); inputs may carry "0x" and any case (a mixed case must be
// a valid EIP-55 checksum). Amounts are int64: a value on chain above 2^63 - 1 units (about 9.2 ether
// in wei) is refused with Error::Overflow, never truncated.
class EthChain : public Chain {
 public:
  EthChain(RpcTransport transport, EthChainOptions options);
  ~EthChain() override;

  Result<BlockHeader> tip() override;
  Result<BlockHeader> block(uint64_t height) override;
  // ETH credits are transactions to a watched address with a value, whose receipt says they
  // succeeded (index 0); token credits are Transfer logs of a followed token (index 1 + log index).
  Result<std::vector<ObservedTransfer>> transfers_to(const std::vector<Address>& addresses, uint64_t from_height,
                                                     uint64_t to_height) override;
  Result<int64_t> balance(const Address& address, const std::string& asset, uint64_t height) override;
  // Refused (InvalidArgument): an Ethereum transfer is an EIP-1559 transaction, sent by send_raw.
  Result<TxId> send(const SignedTransfer& transfer) override;
  // Pending while the node holds it unmined; Confirmed or Failed (reverted) from its receipt.
  Result<TxStatus> status(const TxId& tx_id) override;

  Result<uint64_t> chain_id();  // eth_chainId (asked once, then remembered)
  // The next nonce of `address`, counting its transactions still pending (eth_getTransactionCount).
  Result<uint64_t> next_nonce(const Address& address);
  // The newest block's base fee per gas (wei), to set an EIP-1559 transaction's fees.
  Result<uint64_t> base_fee();
  // Broadcasts a signed EIP-1559 transaction after checking it: decodable, signed for this node's
  // chain (InvalidArgument otherwise) and by `expected_sender` (InvalidSignature otherwise). Sending
  // the same bytes again answers the same id (the hash is the id) and sends nothing: a transaction
  // the node already holds, pending or mined, is not sent twice.
  Result<TxId> send_raw(const eth::Bytes& raw, const Address& expected_sender);

  // Sends a request that is not part of the adapter (a test deploys its token with it) and returns
  // the "result" member's JSON text.
  Result<std::string> call_raw(const std::string& method, const std::string& params_json);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The call data of ERC-20 `transfer(to, amount)`.
eth::Bytes erc20_transfer_data(const eth::AddressBytes& to, uint64_t amount);

}  // namespace glassbook::custody
