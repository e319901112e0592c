// The Ethereum adapter's reading of a node's answers, over a scripted node (no network): reverted
// and removed transfers skipped, a chain that moves during a call, answers not asked for, amounts
// beyond int64, and an idempotent broadcast that does not send known bytes again.
#include "custody/eth_chain.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <functional>
#include <map>

namespace glassbook::custody {
namespace {

const std::string kWatched = "00000000000000000000000000000000000000d1";
const std::string kToken = "00000000000000000000000000000000000000c0";
std::string hash_of(char c) { return "0x" + std::string(64, c); }

// Answers each method with the scripted result text; counts the calls.
struct ScriptedNode {
  std::map<std::string, std::function<std::string(const std::string& request)>> results;
  std::map<std::string, int> calls;
  RpcTransport transport() {
    return [this](const std::string& request) -> Result<std::string> {
      const size_t at = request.find("\"method\":\"") + 10;
      const std::string method = request.substr(at, request.find('"', at) - at);
      ++calls[method];
      auto it = results.find(method);
      if (it == results.end()) return fmt::format(R"({{"jsonrpc":"2.0","id":1,"error":{{"code":-32601,"message":"no {}"}}}})", method);
      return fmt::format(R"({{"jsonrpc":"2.0","id":1,"result":{}}})", it->second(request));
    };
  }
};

std::string block_json(uint64_t height, char hash, const std::string& transactions) {
  return fmt::format(R"({{"number":"0x{:x}","hash":"{}","parentHash":"{}","transactions":[{}]}})", height, hash_of(hash), hash_of('0'), transactions);
}
std::string tx_json(char hash, const std::string& to, const std::string& value) {
  return fmt::format(R"({{"hash":"{}","from":"0x00000000000000000000000000000000000000aa","to":"0x{}","value":"{}","transactionIndex":"0x0"}})",
                     hash_of(hash), to, value);
}
std::string log_json(char block_hash, const std::string& to, const std::string& value_word, bool removed) {
  return fmt::format(
      R"({{"address":"0x{}","topics":["0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef","0x00000000000000000000000000000000000000000000000000000000000000aa","0x000000000000000000000000{}"],"data":"{}","blockNumber":"0x5","blockHash":"{}","transactionHash":"{}","transactionIndex":"0x1","logIndex":"0x0","removed":{}}})",
      kToken, to, value_word, hash_of(block_hash), hash_of('7'), removed);
}
std::string word(uint64_t v) { return eth::data_hex(eth::from_uint64(v)); }

struct EthChainTest : ::testing::Test {
  ScriptedNode node;
  EthChain chain{node.transport(), EthChainOptions{"ETH", {{"GBT", eth::parse_address("0x" + kToken).value()}}}};
  void SetUp() override {
    node.results["eth_getTransactionReceipt"] = [](const std::string& r) {
      // Transaction 0x33.. reverted; every other one succeeded.
      return std::string(r.find(std::string(64, '3')) != std::string::npos ? R"({"status":"0x0","blockNumber":"0x5","blockHash":"0x55"})"
                                                                             : R"({"status":"0x1","blockNumber":"0x5","blockHash":"0x55"})");
    };
    node.results["eth_getLogs"] = [](const std::string&) { return std::string("[]"); };
  }
};

TEST_F(EthChainTest, RevertedAndRemovedTransfersAreSkipped) {
  node.results["eth_getBlockByNumber"] = [](const std::string&) {
    return block_json(5, '5', tx_json('2', kWatched, "0x64") + "," + tx_json('3', kWatched, "0x65") + "," +
                                  tx_json('4', "00000000000000000000000000000000000000ee", "0x66"));
  };
  node.results["eth_getLogs"] = [](const std::string&) {
    return "[" + log_json('5', kWatched, word(9), true) + "," + log_json('5', kWatched, word(10), false) + "]";
  };
  auto seen = chain.transfers_to({kWatched}, 5, 5);
  ASSERT_TRUE(seen) << seen.status().to_string();
  ASSERT_EQ(seen->size(), 2u);
  EXPECT_EQ((*seen)[0].asset, "ETH");
  EXPECT_EQ((*seen)[0].amount, 100);
  EXPECT_EQ((*seen)[0].tx_id, std::string(64, '2'));
  EXPECT_EQ((*seen)[1].asset, "GBT");
  EXPECT_EQ((*seen)[1].amount, 10);
  EXPECT_EQ((*seen)[1].index, 1u);
  EXPECT_EQ((*seen)[1].block_hash, std::string(64, '5'));
}

TEST_F(EthChainTest, AChainThatMovesDuringTheCallIsAnErrorToReadAgain) {
  node.results["eth_getBlockByNumber"] = [](const std::string&) { return block_json(5, '5', ""); };
  node.results["eth_getLogs"] = [](const std::string&) { return "[" + log_json('6', kWatched, word(10), false) + "]"; };
  auto seen = chain.transfers_to({kWatched}, 5, 5);
  ASSERT_FALSE(seen);
  EXPECT_EQ(seen.code(), Error::Io);
  EXPECT_NE(seen.status().message().find("changed at height 5"), std::string::npos);
}

TEST_F(EthChainTest, AnswersNotAskedForAndAmountsBeyondInt64AreRefused) {
  node.results["eth_getBlockByNumber"] = [](const std::string&) { return block_json(5, '5', ""); };
  node.results["eth_getLogs"] = [](const std::string&) {
    return "[" + log_json('5', "00000000000000000000000000000000000000ee", word(10), false) + "]";
  };
  EXPECT_EQ(chain.transfers_to({kWatched}, 5, 5).code(), Error::Io);

  node.results["eth_getLogs"] = [](const std::string&) {
    return "[" + log_json('5', kWatched, "0x0000000000000000000000000000000000000000000000010000000000000000", false) + "]";
  };
  auto big = chain.transfers_to({kWatched}, 5, 5);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.code(), Error::Overflow);
  EXPECT_NE(big.status().message().find("18446744073709551616 does not fit our int64 units"), std::string::npos);

  node.results["eth_getBlockByNumber"] = [](const std::string&) { return block_json(5, '5', tx_json('2', kWatched, "0x8000000000000000")); };
  node.results["eth_getLogs"] = [](const std::string&) { return std::string("[]"); };
  EXPECT_EQ(chain.transfers_to({kWatched}, 5, 5).code(), Error::Overflow);

  node.results["eth_getBlockByNumber"] = [](const std::string&) { return std::string("null"); };
  EXPECT_EQ(chain.block(9).code(), Error::InvalidArgument);
  node.results["eth_getBlockByNumber"] = [](const std::string&) { return std::string(R"({"number":"0x5"})"); };
  EXPECT_EQ(chain.block(5).code(), Error::Io);  // no hash
}

TEST_F(EthChainTest, ABroadcastTheNodeAlreadyHoldsIsNotSentAgain) {
  auto key = eth::EthKey::from_secret(eth::keccak256(std::string_view("glassbook/test/eth-chain"))).value();
  eth::Eip1559Transaction tx;
  tx.chain_id = 1337;
  tx.gas_limit = 21'000;
  tx.to = eth::parse_address("0x" + kWatched).value();
  const eth::SignedTransaction signed_tx = eth::sign_transaction(tx, key);
  const std::string sender = eth::lower_address(key.address()).substr(2);
  node.results["eth_chainId"] = [](const std::string&) { return std::string(R"("0x539")"); };
  bool known = false;
  node.results["eth_getTransactionByHash"] = [&known](const std::string&) { return std::string(known ? R"({"hash":"0x1"})" : "null"); };
  node.results["eth_sendRawTransaction"] = [&](const std::string&) {
    known = true;
    return "\"" + eth::data_hex(signed_tx.hash) + "\"";
  };
  EXPECT_EQ(chain.send_raw(signed_tx.raw, sender).value(), eth::data_hex(signed_tx.hash).substr(2));
  EXPECT_EQ(chain.send_raw(signed_tx.raw, "0x" + sender).value(), eth::data_hex(signed_tx.hash).substr(2));
  EXPECT_EQ(node.calls["eth_sendRawTransaction"], 1);
  // A node that answers another hash than the transaction's is not believed.
  known = false;
  tx.nonce = 1;
  const eth::SignedTransaction second = eth::sign_transaction(tx, key);
  EXPECT_EQ(chain.send_raw(second.raw, sender).code(), Error::Io);
}

}  // namespace
}  // namespace glassbook::custody
