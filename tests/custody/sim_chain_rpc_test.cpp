// The simulated chain's JSON-RPC: the client adapter over the handler gives what the chain gives, and
// every malformed request gets its JSON-RPC error object and changes nothing.
#include "custody/sim_chain_rpc.h"

#include <gtest/gtest.h>

#include "custody/sim_chain_client.h"
#include "custody/sim_keys.h"

namespace glassbook::custody {
namespace {

crypto::KeyPair key(const char* label) { return crypto::KeyPair::from_seed(crypto::seed_from_label(label)); }

struct SimChainRpcTest : ::testing::Test {
  SimChain chain{SimChainOptions{"rpc", 3, 10}};
  bool test_methods = true;
  int saves = 0;
  SimChainClient client{[this](const std::string& request) -> Result<std::string> {
    RpcAnswer a = handle_sim_chain_rpc(chain, request, test_methods);
    saves += a.changed;
    return a.body;
  }};
  crypto::KeyPair alice = key("rpc/alice");
  Address alice_addr = address_of(alice.public_key());
  Address bob_addr = address_of(key("rpc/bob").public_key());

  // Sends raw text; expects an error with `code` and a message containing `message`, and no change.
  void refused(const std::string& request, int code, const std::string& message, bool tests = true) {
    const std::string before = chain.encode();
    RpcAnswer a = handle_sim_chain_rpc(chain, request, tests);
    EXPECT_NE(a.body.find(R"("error":{"code":)" + std::to_string(code) + ","), std::string::npos) << request << " -> " << a.body;
    EXPECT_NE(a.body.find(message), std::string::npos) << request << " -> " << a.body;
    EXPECT_FALSE(a.changed);
    EXPECT_EQ(chain.encode(), before) << request;
  }
};

TEST_F(SimChainRpcTest, TheClientOverRpcSeesWhatTheChainHolds) {
  auto info = client.info();
  ASSERT_TRUE(info) << info.status().to_string();
  EXPECT_EQ(info->chain_id, "rpc/3");
  EXPECT_EQ(info->min_fee, 10);
  ASSERT_TRUE(client.faucet(alice_addr, "USDC", 5'000'000'000));
  auto mined = client.mine(1);
  ASSERT_TRUE(mined);
  EXPECT_EQ(*mined, *chain.tip());
  EXPECT_EQ(*client.balance(alice_addr, "USDC", 1), 5'000'000'000);
  auto id = client.send(sign_transfer(info->chain_id, alice, bob_addr, "USDC", 1'000'000, 10, 9));
  ASSERT_TRUE(id) << id.status().to_string();
  EXPECT_EQ(client.status(*id)->state, TxState::Pending);
  ASSERT_TRUE(client.mine(3));
  auto s = client.status(*id);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->state, TxState::Confirmed);
  EXPECT_EQ(s->confirmations, 3u);
  EXPECT_EQ(s->block_hash, chain.block(2)->hash);
  auto seen = client.transfers_to({bob_addr, alice_addr}, 0, 4);
  ASSERT_TRUE(seen);
  EXPECT_EQ(*seen, *chain.transfers_to({bob_addr, alice_addr}, 0, 4));
  EXPECT_EQ(seen->size(), 2u);
  EXPECT_EQ(*client.block(2), *chain.block(2));
  // Sending it again answers the same id and counts no change to save.
  const int saves_before = saves;
  EXPECT_EQ(*client.send(sign_transfer(info->chain_id, alice, bob_addr, "USDC", 1'000'000, 10, 9)), *id);
  EXPECT_EQ(saves, saves_before);
  auto reorged = client.reorg(2, false);
  ASSERT_TRUE(reorged);
  EXPECT_EQ(reorged->height, 5u);
  ASSERT_TRUE(client.steal(alice_addr, bob_addr, "USDC", 5));
  ASSERT_TRUE(client.mine(1));
  EXPECT_EQ(*client.balance(bob_addr, "USDC", 6), 1'000'005);
}

TEST_F(SimChainRpcTest, RefusalsComeBackAsTheChainsStatus) {
  ASSERT_TRUE(client.faucet(alice_addr, "BTC", 100));
  ASSERT_TRUE(client.mine(1));
  auto poor = client.send(sign_transfer("rpc/3", alice, bob_addr, "BTC", 100, 10, 1));
  EXPECT_EQ(poor.code(), Error::InsufficientFunds);
  SignedTransfer forged = sign_transfer("rpc/3", alice, bob_addr, "BTC", 10, 10, 1);
  forged.amount = 20;
  EXPECT_EQ(client.send(forged).code(), Error::InvalidSignature);
  EXPECT_EQ(client.block(9).code(), Error::InvalidArgument);
  EXPECT_EQ(client.reorg(5, false).code(), Error::InvalidArgument);
}

TEST_F(SimChainRpcTest, MalformedRequestsGetJsonRpcErrorsAndChangeNothing) {
  refused("{", kRpcParseError, "not valid JSON");
  refused(R"([{"jsonrpc":"2.0","id":1,"method":"chain_tip"}])", kRpcInvalidRequest, "batch requests are not supported");
  refused(R"("chain_tip")", kRpcInvalidRequest, "must be a JSON object");
  refused(R"({"jsonrpc":"1.0","id":1,"method":"chain_tip"})", kRpcInvalidRequest, R"(jsonrpc must be \"2.0\")");
  refused(R"({"jsonrpc":"2.0","id":1.5,"method":"chain_tip"})", kRpcInvalidRequest, "id must be a string, an integer or null");
  refused(R"({"jsonrpc":"2.0","id":1,"method":7})", kRpcInvalidRequest, "method must be a string");
  refused(R"({"jsonrpc":"2.0","id":1,"method":"chain_tip","extra":1})", kRpcInvalidRequest, "unknown member extra");
  refused(R"({"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"})", kRpcMethodNotFound, "no method eth_blockNumber");
  refused(R"({"jsonrpc":"2.0","id":1,"method":"chain_tip","params":[1]})", kRpcInvalidParams, "params must be an object");
  refused(R"({"jsonrpc":"2.0","id":1,"method":"chain_getBlock","params":{}})", kRpcInvalidParams, "missing parameter height");
  refused(R"({"jsonrpc":"2.0","id":1,"method":"chain_getBlock","params":{"height":-1}})", kRpcInvalidParams, "height must be a non-negative integer");
  refused(R"({"jsonrpc":"2.0","id":1,"method":"chain_getBlock","params":{"height":0,"hieght":1}})", kRpcInvalidParams, "unknown parameter hieght");
  // Amounts are strings of digits, never JSON numbers.
  const std::string faucet = R"({"jsonrpc":"2.0","id":"f","method":"sim_faucet","params":{"address":")" + alice_addr + R"(","asset":"BTC","amount":)";
  refused(faucet + "5}}", kRpcInvalidParams, "amount must be a string of decimal digits");
  refused(faucet + "\"-5\"}}", kRpcInvalidParams, "amount must be a string of decimal digits");
  refused(faucet + "\"99999999999999999999\"}}", kRpcInvalidParams, "amount must be a string of decimal digits");
  refused(faucet + "\"0\"}}", kRpcInvalidParams, "amount 0 is not within");
  refused(R"({"jsonrpc":"2.0","id":"f","method":"sim_faucet","params":{"address":"x\u0001\"","asset":"BTC","amount":"5"}})", kRpcInvalidParams,
          R"(x\u0001\" is not an address)");
  // A chain-sim without test methods knows none of them.
  refused(faucet + "\"5\"}}", kRpcMethodNotFound, "no method sim_faucet", false);
  refused(R"({"jsonrpc":"2.0","id":1,"method":"sim_mine"})", kRpcMethodNotFound, "no method sim_mine", false);
}

TEST_F(SimChainRpcTest, TheIdIsEchoedAndANotificationIsRunButNotAnswered) {
  RpcAnswer a = handle_sim_chain_rpc(chain, R"({"jsonrpc":"2.0","id":"abc","method":"chain_tip"})", true);
  EXPECT_EQ(a.body.find(R"({"jsonrpc":"2.0","id":"abc","result":{"height":0,)"), 0u) << a.body;
  RpcAnswer n = handle_sim_chain_rpc(chain, R"({"jsonrpc":"2.0","method":"sim_mine","params":{"blocks":2}})", true);
  EXPECT_TRUE(n.body.empty());
  EXPECT_TRUE(n.changed);
  EXPECT_EQ(chain.tip()->height, 2u);
}

}  // namespace
}  // namespace glassbook::custody
