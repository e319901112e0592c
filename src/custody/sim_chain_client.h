// The chain interface over the simulated chain's JSON-RPC (sim_chain_rpc.h), whatever carries the
// requests: `glassbook chain-watch` gives it HTTP, tests call the handler directly.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "custody/chain.h"
#include "custody/json_rpc_client.h"  // RpcTransport

namespace glassbook::custody {


struct SimChainInfo {
  std::string name;
  uint64_t seed = 0;
  std::string chain_id;  // what transfer signatures bind to
  int64_t min_fee = 0;
};

class SimChainClient : public Chain {
 public:
  explicit SimChainClient(RpcTransport transport);
  ~SimChainClient() override;

  Result<BlockHeader> tip() override;
  Result<BlockHeader> block(uint64_t height) override;
  Result<std::vector<ObservedTransfer>> transfers_to(const std::vector<Address>& addresses, uint64_t from_height,
                                                     uint64_t to_height) override;
  Result<int64_t> balance(const Address& address, const std::string& asset, uint64_t height) override;
  Result<TxId> send(const SignedTransfer& transfer) override;
  Result<TxStatus> status(const TxId& tx_id) override;

  Result<SimChainInfo> info();
  // The simulation's test methods (refused by a chain-sim started without them).
  Result<BlockHeader> mine(uint64_t blocks);
  Result<BlockHeader> reorg(uint64_t depth, bool drop);
  Result<TxId> faucet(const Address& to, const std::string& asset, int64_t amount);
  Result<TxId> steal(const Address& from, const Address& to, const std::string& asset, int64_t amount);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace glassbook::custody
