// The Ethereum adapter (custody::EthChain) against a real local node (ganache, started by run.sh):
// an ETH and an ERC-20 deposit observed with their confirmations, balances at heights, EIP-1559
// ETH and token transfers signed by our own key broadcast and confirmed, and refusals that change
// nothing (another chain id, a signature by another key, an amount beyond our int64 units).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "app/http_client.h"
#include "custody/eth_chain.h"

namespace glassbook::custody {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  if (!v) ADD_FAILURE() << name << " is not set: run this through tests/eth/run.sh";
  return v ? v : "";
}

RpcTransport http_transport(const std::string& url) {
  std::shared_ptr<app::HttpClient> client = app::HttpClient::open(url, std::chrono::seconds(30)).value();
  return [client](const std::string& request) -> Result<std::string> {
    auto r = client->post("/", request);
    if (!r) return r.status();
    if (r->status != 200) return Status(Error::Io, "HTTP status " + std::to_string(r->status));
    return r->body;
  };
}

// The string value of `"key":"..."` in a JSON text (the node's answers are flat enough for a test).
std::string member(const std::string& json, const std::string& key) {
  const std::string needle = "\"" + key + "\":\"";
  const size_t at = json.find(needle);
  if (at == std::string::npos) return {};
  const size_t start = at + needle.size();
  return json.substr(start, json.find('"', start) - start);
}

eth::EthKey key_from_env(const char* name) { return eth::EthKey::from_secret(eth::parse_data(env(name)).value()).value(); }

std::string plain(const eth::AddressBytes& a) { return eth::lower_address(a).substr(2); }

struct EthNodeTest : ::testing::Test {
  static inline std::unique_ptr<EthChain> chain;
  static inline eth::AddressBytes token{};
  static inline std::optional<eth::EthKey> hot, deployer, depositor;

  static void SetUpTestSuite() {
    hot = key_from_env("GB_ETH_HOT_KEY");
    deployer = key_from_env("GB_ETH_DEPLOYER_KEY");
    // The deposit address: a key of the test's own that holds nothing at the start.
    depositor = eth::EthKey::from_secret(eth::keccak256(std::string_view("glassbook/test/eth-deposit-address"))).value();
    // The token, deployed by the node's unlocked deployer account (a contract creation is not a
    // transfer, so it is not the adapter's job): 10^12 units to the deployer.
    std::ifstream in(env("GB_ETH_TOKEN_BIN"));
    std::stringstream bytecode;
    bytecode << in.rdbuf();
    std::string code = bytecode.str();
    while (!code.empty() && std::isspace(static_cast<unsigned char>(code.back()))) code.pop_back();
    const std::string supply = eth::data_hex(eth::from_uint64(1'000'000'000'000)).substr(2);
    chain = std::make_unique<EthChain>(http_transport(env("GB_ETH_URL")), EthChainOptions{"ETH", {}});
    auto sent = chain->call_raw("eth_sendTransaction", "[{\"from\":\"" + eth::lower_address(deployer->address()) + "\",\"gas\":\"0x200000\",\"data\":\"0x" +
                                                          code + supply + "\"}]");
    ASSERT_TRUE(sent) << sent.status().to_string();
    auto receipt = chain->call_raw("eth_getTransactionReceipt", "[" + *sent + "]");
    ASSERT_TRUE(receipt) << receipt.status().to_string();
    token = eth::parse_address(member(*receipt, "contractAddress")).value();
    chain = std::make_unique<EthChain>(http_transport(env("GB_ETH_URL")), EthChainOptions{"ETH", {{"GBT", token}}});
  }
  static void TearDownTestSuite() { chain.reset(); }

  static void mine(int blocks) {
    for (int i = 0; i < blocks; ++i) ASSERT_TRUE(chain->call_raw("evm_mine", "[]"));
  }
  static uint64_t tip_height() { return chain->tip().value().height; }
  // An unlocked account's transaction (the outside world paying us), mined at once by the node.
  static std::string outside_send(const std::string& to, const std::string& value_hex, const std::string& data_hex) {
    auto r = chain->call_raw("eth_sendTransaction", "[{\"from\":\"" + eth::lower_address(deployer->address()) + "\",\"to\":\"" + to +
                                                        "\",\"gas\":\"0x100000\",\"value\":\"" + value_hex + "\",\"data\":\"" + data_hex + "\"}]");
    EXPECT_TRUE(r) << r.status().to_string();
    return r ? r->substr(3, 64) : "";
  }
  static eth::Eip1559Transaction transfer_from_hot(const eth::AddressBytes& to, uint64_t wei, eth::Bytes data, uint64_t gas) {
    eth::Eip1559Transaction tx;
    tx.chain_id = chain->chain_id().value();
    tx.nonce = chain->next_nonce(plain(hot->address())).value();
    tx.max_priority_fee_per_gas = 1'000'000'000;
    tx.max_fee_per_gas = 2 * chain->base_fee().value() + tx.max_priority_fee_per_gas;
    tx.gas_limit = gas;
    tx.to = to;
    tx.value = eth::from_uint64(wei);
    tx.data = std::move(data);
    return tx;
  }
};

TEST_F(EthNodeTest, ChainIdentityAndBlocks) {
  EXPECT_EQ(chain->chain_id().value(), 1337u);
  const BlockHeader tip = chain->tip().value();
  EXPECT_GE(tip.height, 1u);  // the token's deployment
  const BlockHeader parent = chain->block(tip.height - 1).value();
  EXPECT_EQ(tip.parent_hash, parent.hash);
  EXPECT_EQ(chain->block(0).value().parent_hash, "");
  auto above = chain->block(tip.height + 100);
  ASSERT_FALSE(above);
  EXPECT_EQ(above.code(), Error::InvalidArgument);
}

TEST_F(EthNodeTest, AnEthAndATokenDepositObservedWithConfirmations) {
  const std::string deposit = plain(depositor->address());
  const uint64_t before = tip_height();
  const std::string eth_tx = outside_send(eth::lower_address(depositor->address()), "0x6f05b59d3b20000", "0x");  // 0.5 ether
  const std::string token_tx = outside_send(eth::lower_address(token), "0x0", eth::data_hex(erc20_transfer_data(depositor->address(), 1'000'000)));
  // Tokens to the hot wallet too (it spends them below), and to an address nobody watches.
  outside_send(eth::lower_address(token), "0x0", eth::data_hex(erc20_transfer_data(hot->address(), 50'000)));
  outside_send(eth::lower_address(token), "0x0", eth::data_hex(erc20_transfer_data(eth::parse_address("0x00000000000000000000000000000000000000aa").value(), 7)));
  mine(2);
  const uint64_t tip = tip_height();
  auto seen = chain->transfers_to({deposit}, before + 1, tip);
  ASSERT_TRUE(seen) << seen.status().to_string();
  ASSERT_EQ(seen->size(), 2u);
  const ObservedTransfer& e = (*seen)[0];
  EXPECT_EQ(e.tx_id, eth_tx);
  EXPECT_EQ(e.asset, "ETH");
  EXPECT_EQ(e.amount, 500'000'000'000'000'000);
  EXPECT_EQ(e.index, 0u);
  EXPECT_EQ(e.from, plain(deployer->address()));
  EXPECT_EQ(e.to, deposit);
  const ObservedTransfer& t = (*seen)[1];
  EXPECT_EQ(t.tx_id, token_tx);
  EXPECT_EQ(t.asset, "GBT");
  EXPECT_EQ(t.amount, 1'000'000);
  EXPECT_GE(t.index, 1u);
  EXPECT_GT(t.height, e.height);
  for (const ObservedTransfer& x : *seen) {
    EXPECT_EQ(chain->block(x.height).value().hash, x.block_hash);
    EXPECT_GE(tip - x.height + 1, 3u);  // confirmations, the block itself counting as one
  }
  // Balances at heights: nothing before the deposit's block, the amount from it on.
  EXPECT_EQ(chain->balance(deposit, "ETH", e.height - 1).value(), 0);
  EXPECT_EQ(chain->balance(deposit, "ETH", e.height).value(), 500'000'000'000'000'000);
  EXPECT_EQ(chain->balance("0x" + deposit, "GBT", t.height - 1).value(), 0);
  EXPECT_EQ(chain->balance(eth::checksum_address(depositor->address()), "GBT", tip).value(), 1'000'000);
  // Only the range asked for, and only watched addresses.
  EXPECT_TRUE(chain->transfers_to({deposit}, tip, tip).value().empty());
  EXPECT_TRUE(chain->transfers_to({"00000000000000000000000000000000000000bb"}, before + 1, tip).value().empty());
}

TEST_F(EthNodeTest, SignedEthAndTokenTransfersAreBroadcastAndConfirmed) {
  const std::string deposit = plain(depositor->address());
  const int64_t eth_before = chain->balance(deposit, "ETH", tip_height()).value();
  const eth::SignedTransaction pay = eth::sign_transaction(transfer_from_hot(depositor->address(), 100'000'000'000'000'000, {}, 21'000), *hot);
  auto id = chain->send_raw(pay.raw, plain(hot->address()));
  ASSERT_TRUE(id) << id.status().to_string();
  EXPECT_EQ(*id, eth::data_hex(pay.hash).substr(2));
  // The same bytes again: the same id, nothing moves twice.
  EXPECT_EQ(chain->send_raw(pay.raw, plain(hot->address())).value(), *id);
  mine(2);
  const TxStatus s = chain->status(*id).value();
  EXPECT_EQ(s.state, TxState::Confirmed);
  EXPECT_EQ(s.confirmations, 3u);
  EXPECT_EQ(chain->block(s.height).value().hash, s.block_hash);
  EXPECT_EQ(chain->balance(deposit, "ETH", tip_height()).value(), eth_before + 100'000'000'000'000'000);

  const eth::SignedTransaction tokens =
      eth::sign_transaction(transfer_from_hot(token, 0, erc20_transfer_data(depositor->address(), 2'500), 100'000), *hot);
  auto token_id = chain->send_raw(tokens.raw, plain(hot->address()));
  ASSERT_TRUE(token_id) << token_id.status().to_string();
  mine(1);
  const TxStatus ts = chain->status(*token_id).value();
  EXPECT_EQ(ts.state, TxState::Confirmed);
  EXPECT_EQ(ts.confirmations, 2u);
  EXPECT_EQ(chain->balance(plain(hot->address()), "GBT", tip_height()).value(), 47'500);
  auto seen = chain->transfers_to({deposit}, ts.height, ts.height).value();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].tx_id, *token_id);
  EXPECT_EQ(seen[0].from, plain(hot->address()));
  EXPECT_EQ(seen[0].amount, 2'500);

  // A token transfer beyond the wallet's tokens is mined and reverted: Failed, nothing moves.
  const eth::SignedTransaction too_much =
      eth::sign_transaction(transfer_from_hot(token, 0, erc20_transfer_data(depositor->address(), 1'000'000), 100'000), *hot);
  auto failed_id = chain->send_raw(too_much.raw, plain(hot->address()));
  if (failed_id) {
    const TxStatus fs = chain->status(*failed_id).value();
    EXPECT_EQ(fs.state, TxState::Failed);
    EXPECT_TRUE(chain->transfers_to({deposit}, fs.height, fs.height).value().empty());
  } else {
    EXPECT_NE(failed_id.status().message().find("revert"), std::string::npos) << failed_id.status().to_string();
  }
  EXPECT_EQ(chain->balance(plain(hot->address()), "GBT", tip_height()).value(), 47'500);
  EXPECT_EQ(chain->status(std::string(64, 'a')).value().state, TxState::Unknown);
}

TEST_F(EthNodeTest, AnotherChainIdOrAnotherSignerIsRefusedAndNothingMoves) {
  const std::string hot_address = plain(hot->address());
  const uint64_t nonce = chain->next_nonce(hot_address).value();
  const int64_t balance = chain->balance(hot_address, "ETH", tip_height()).value();

  eth::Eip1559Transaction other_chain = transfer_from_hot(depositor->address(), 1'000, {}, 21'000);
  other_chain.chain_id = 1;
  const eth::SignedTransaction replay = eth::sign_transaction(other_chain, *hot);
  auto refused = chain->send_raw(replay.raw, hot_address);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.code(), Error::InvalidArgument);
  EXPECT_NE(refused.status().message().find("signed for chain 1, the node is chain 1337"), std::string::npos);
  // The node itself refuses it too, when sent past the adapter's check.
  EXPECT_FALSE(chain->call_raw("eth_sendRawTransaction", "[\"" + eth::data_hex(replay.raw) + "\"]"));

  // An altered signature recovers another key (or none): refused before it reaches the node.
  const eth::Eip1559Transaction tx = transfer_from_hot(depositor->address(), 1'000, {}, 21'000);
  eth::RecoverableSignature bad = hot->sign(eth::signing_hash(tx));
  bad.r[5] ^= 0x40;
  auto forged = chain->send_raw(eth::encode_signed(tx, bad), hot_address);
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.code(), Error::InvalidSignature);
  // Signed by another key than the wallet's.
  auto stranger = chain->send_raw(eth::sign_transaction(tx, *depositor).raw, hot_address);
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.code(), Error::InvalidSignature);
  EXPECT_NE(stranger.status().message().find("not by " + eth::checksum_address(hot->address())), std::string::npos);

  mine(1);
  EXPECT_EQ(chain->next_nonce(hot_address).value(), nonce);
  EXPECT_EQ(chain->balance(hot_address, "ETH", tip_height()).value(), balance);
}

TEST_F(EthNodeTest, AmountsBeyondOurUnitsAndBadInputAreRefused) {
  // The deployer holds about 100 ether: 10^20 wei is more than an int64 holds.
  auto big = chain->balance(plain(deployer->address()), "ETH", tip_height());
  ASSERT_FALSE(big);
  EXPECT_EQ(big.code(), Error::Overflow);
  EXPECT_NE(big.status().message().find("does not fit our int64 units"), std::string::npos);
  EXPECT_EQ(chain->balance(plain(hot->address()), "DOGE", tip_height()).code(), Error::InvalidArgument);
  EXPECT_EQ(chain->balance("0xnot-an-address", "ETH", 0).code(), Error::InvalidArgument);
  EXPECT_EQ(chain->transfers_to({"5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"}, 1, 1).code(), Error::InvalidArgument);  // bad checksum
  EXPECT_EQ(chain->transfers_to({plain(hot->address())}, 5, 4).code(), Error::InvalidArgument);
  EXPECT_EQ(chain->send(SignedTransfer{}).code(), Error::InvalidArgument);
}

}  // namespace
}  // namespace glassbook::custody
