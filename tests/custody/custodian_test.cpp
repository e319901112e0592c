// The custodian signer over the simulated chain: what it approves and refuses to sign, the transfer
// it derives from a withdrawal (the same every time, so a resend after a crash moves nothing twice),
// and the exchange's list of open withdrawals read strictly.
#include "custody/custodian.h"

#include <gtest/gtest.h>

#include "custody/sim_chain.h"
#include "custody/sim_keys.h"

namespace glassbook::custody {
namespace {

const crypto::KeyPair kCustodian = crypto::KeyPair::from_seed(crypto::seed_from_label("test/custodian"));
const crypto::KeyPair kWallet = crypto::KeyPair::from_seed(crypto::seed_from_label("test/hot-wallet"));
const Address kUser = address_of(crypto::KeyPair::from_seed(crypto::seed_from_label("test/user")).public_key());

OpenWithdrawal withdrawal(uint64_t id, WithdrawalStep step, int64_t amount = 5'000) {
  OpenWithdrawal w;
  w.id = id;
  w.account = 16;
  w.asset = "BTC";
  w.amount = amount;
  w.address = kUser;
  w.blockchain = "sim";
  w.step = step;
  return w;
}

struct CustodianTest : ::testing::Test {
  SimChain chain{SimChainOptions{"sim", 1, 10}};
  std::vector<uint64_t> approvals;
  std::vector<std::pair<uint64_t, TxId>> records;
  bool exchange_down = false;
  SubmitApproval approve = [this](uint64_t id) {
    if (exchange_down) return SubmitResult{SubmitOutcome::Unreachable, "connection refused"};
    approvals.push_back(id);
    return SubmitResult{};
  };
  SubmitBroadcast record = [this](uint64_t id, const TxId& tx) {
    if (exchange_down) return SubmitResult{SubmitOutcome::Unreachable, "connection refused"};
    records.push_back({id, tx});
    return SubmitResult{};
  };

  CustodianOptions options() const {
    CustodianOptions o;
    o.blockchain = "sim";
    o.chain_id = chain.chain_id();
    o.signer = crypto::base64_encode(kCustodian.public_key());
    o.assets = {"BTC", "USDC"};
    o.fee = 10;
    o.max_amount = 1'000'000;
    return o;
  }
  Custodian custodian(bool broadcaster) {
    auto c = Custodian::create(chain, broadcaster ? std::optional<crypto::KeyPair>(kWallet) : std::nullopt, options());
    EXPECT_TRUE(c) << c.status().to_string();
    return std::move(c).value();
  }
  int64_t balance(const Address& a) { return *chain.balance(a, "BTC", chain.tip()->height); }
};

TEST_F(CustodianTest, ApprovesWhatPassesItsChecksOnceAndReportsEachRefusalOnce) {
  Custodian c = custodian(false);
  OpenWithdrawal mine = withdrawal(1, WithdrawalStep::AwaitingApproval);
  OpenWithdrawal approved_before = withdrawal(2, WithdrawalStep::AwaitingApproval);
  approved_before.approvers = {crypto::base64_encode(kCustodian.public_key())};
  OpenWithdrawal too_large = withdrawal(3, WithdrawalStep::AwaitingApproval, 1'000'001);
  OpenWithdrawal bad_address = withdrawal(4, WithdrawalStep::AwaitingApproval);
  bad_address.address = "0xNotAnAddress";
  OpenWithdrawal unknown_asset = withdrawal(5, WithdrawalStep::AwaitingApproval);
  unknown_asset.asset = "DOGE";
  OpenWithdrawal other_chain = withdrawal(6, WithdrawalStep::AwaitingApproval);
  other_chain.blockchain = "Ethereum";
  const std::vector<OpenWithdrawal> open{mine, approved_before, too_large, bad_address, unknown_asset, other_chain};
  CustodianPass p = c.pass(open, approve, record);
  EXPECT_EQ(approvals, std::vector<uint64_t>{1});
  EXPECT_EQ(p.approved, std::vector<uint64_t>{1});
  ASSERT_EQ(p.refused.size(), 3u);
  EXPECT_EQ(p.refused[0].first, 3u);
  EXPECT_NE(p.refused[0].second.find("above this custodian's limit"), std::string::npos) << p.refused[0].second;
  EXPECT_EQ(p.refused[1].first, 4u);
  EXPECT_EQ(p.refused[2].first, 5u);
  // The same list again (the exchange has not yet counted the approval): the refusals are not repeated.
  EXPECT_TRUE(c.pass({too_large, bad_address, unknown_asset}, approve, record).refused.empty());
  // An approver holds no wallet: an approved withdrawal is left to the broadcaster.
  EXPECT_TRUE(c.pass({withdrawal(7, WithdrawalStep::Approved)}, approve, record).broadcast.empty());
  EXPECT_TRUE(records.empty());
  EXPECT_TRUE(chain.mempool().empty());
}

TEST_F(CustodianTest, TheBroadcasterSendsTheWithdrawalsExactTransferAndRecordsItsTransaction) {
  ASSERT_TRUE(chain.faucet(address_of(kWallet.public_key()), "BTC", 100'000));
  ASSERT_TRUE(chain.mine(1));
  Custodian c = custodian(true);
  CustodianPass p = c.pass({withdrawal(9, WithdrawalStep::Approved, 5'000)}, approve, record);
  ASSERT_EQ(p.broadcast.size(), 1u);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].first, 9u);
  EXPECT_EQ(records[0].second, p.broadcast[0].second);
  ASSERT_EQ(chain.mempool().size(), 1u);
  const SimTx& tx = chain.mempool()[0];
  EXPECT_EQ(tx.id, records[0].second);
  EXPECT_EQ(tx.from, address_of(kWallet.public_key()));
  EXPECT_EQ(tx.to, kUser);
  EXPECT_EQ(tx.asset, "BTC");
  EXPECT_EQ(tx.amount, 5'000);
  EXPECT_EQ(tx.fee, 10);
  EXPECT_EQ(tx.client_id, 9u);
  ASSERT_TRUE(chain.mine(1));
  EXPECT_EQ(balance(kUser), 5'000);
  EXPECT_EQ(chain.status(records[0].second)->state, TxState::Confirmed);
}

TEST_F(CustodianTest, SentButNotRecordedThenSentAgainIsTheSameTransactionAndMovesNothingTwice) {
  ASSERT_TRUE(chain.faucet(address_of(kWallet.public_key()), "BTC", 100'000));
  ASSERT_TRUE(chain.mine(1));
  const OpenWithdrawal w = withdrawal(4, WithdrawalStep::Approved, 7'000);
  TxId sent;
  {
    // The first process: the exchange cannot be reached after the send (as if it had crashed there).
    Custodian first = custodian(true);
    exchange_down = true;
    CustodianPass p = first.pass({w}, approve, record, [&](uint64_t, const TxId& tx) { sent = tx; });
    EXPECT_FALSE(p.stalled.empty());
    EXPECT_TRUE(records.empty());
  }
  ASSERT_FALSE(sent.empty());
  ASSERT_TRUE(chain.mine(1));  // mined before the restart
  EXPECT_EQ(balance(kUser), 7'000);
  // A new process (nothing kept in memory) finds the withdrawal still approved and sends again.
  exchange_down = false;
  Custodian second = custodian(true);
  EXPECT_EQ(second.transfer_for(w).signature, custodian(true).transfer_for(w).signature);  // the same bytes every time
  CustodianPass p = second.pass({w}, approve, record);
  ASSERT_EQ(p.broadcast.size(), 1u);
  EXPECT_EQ(p.broadcast[0].second, sent);
  EXPECT_TRUE(chain.mempool().empty());
  ASSERT_TRUE(chain.mine(2));
  EXPECT_EQ(balance(kUser), 7'000);
  EXPECT_EQ(balance(address_of(kWallet.public_key())), 100'000 - 7'000 - 10);
}

TEST_F(CustodianTest, ARecordedTransferThatAReorgDroppedIsSentAgainAsTheSameTransactionAndPaysOnce) {
  ASSERT_TRUE(chain.faucet(address_of(kWallet.public_key()), "BTC", 100'000));
  ASSERT_TRUE(chain.mine(2));
  Custodian c = custodian(true);
  OpenWithdrawal w = withdrawal(5, WithdrawalStep::Approved, 3'000);
  ASSERT_EQ(c.pass({w}, approve, record).broadcast.size(), 1u);
  w.step = WithdrawalStep::Broadcast;
  w.tx_id = records[0].second;
  ASSERT_TRUE(chain.mine(1));
  EXPECT_EQ(balance(kUser), 3'000);
  // Mined and known: nothing to do.
  EXPECT_TRUE(c.pass({w}, approve, record).resent.empty());
  // A double spend wins: the block with the transfer is replaced and the transfer is gone.
  ASSERT_TRUE(chain.reorg(1, true));
  ASSERT_EQ(chain.status(w.tx_id)->state, TxState::Unknown);
  EXPECT_EQ(balance(kUser), 0);
  CustodianPass p = c.pass({w}, approve, record);
  ASSERT_EQ(p.resent.size(), 1u);
  EXPECT_EQ(p.resent[0].second, w.tx_id);  // the transaction the exchange recorded
  EXPECT_EQ(records.size(), 1u);           // nothing new to record
  ASSERT_TRUE(chain.mine(1));
  EXPECT_EQ(chain.status(w.tx_id)->state, TxState::Confirmed);
  EXPECT_EQ(balance(kUser), 3'000);
  EXPECT_TRUE(c.pass({w}, approve, record).resent.empty());
  // A transaction id this wallet would not have made for the withdrawal is not sent again by it.
  OpenWithdrawal foreign = w;
  foreign.id = 6;
  foreign.tx_id = std::string(64, 'b');
  EXPECT_TRUE(c.pass({foreign}, approve, record).resent.empty());
  EXPECT_TRUE(chain.mempool().empty());
}

TEST_F(CustodianTest, AChainRefusalIsReportedAndNothingIsRecordedAndAnUnreachableExchangeStopsThePass) {
  Custodian c = custodian(true);  // the wallet holds nothing
  CustodianPass p = c.pass({withdrawal(1, WithdrawalStep::Approved)}, approve, record);
  ASSERT_EQ(p.refused.size(), 1u);
  EXPECT_NE(p.refused[0].second.find("the chain refused the transfer"), std::string::npos) << p.refused[0].second;
  EXPECT_TRUE(records.empty());
  exchange_down = true;
  p = c.pass({withdrawal(2, WithdrawalStep::AwaitingApproval), withdrawal(3, WithdrawalStep::AwaitingApproval)}, approve, record);
  EXPECT_FALSE(p.stalled.empty());
  EXPECT_TRUE(p.approved.empty());
}

TEST(CustodianCreate, RefusesABroadcasterWithoutAFeeOrChainAndAnEmptyBlockchain) {
  SimChain chain{SimChainOptions{}};
  CustodianOptions o;
  o.blockchain = "sim";
  o.chain_id = chain.chain_id();
  EXPECT_FALSE(Custodian::create(chain, kWallet, o));  // fee 0
  o.fee = 10;
  EXPECT_TRUE(Custodian::create(chain, kWallet, o));
  o.blockchain.clear();
  EXPECT_FALSE(Custodian::create(chain, std::nullopt, o));
}

TEST(OpenWithdrawals, AreReadStrictly) {
  const std::string ok =
      R"([{"withdrawalId":3,"account":16,"symbol":"BTC","amount":"5000","address":"ab","blockchain":"sim","status":"broadcast",)"
      R"("approvalsNeeded":1,"approvers":["k1"],"txId":"t1","confirmedBy":[],"failedBy":["w1"]},)"
      R"({"withdrawalId":4,"account":17,"symbol":"SOL","amount":"1","address":"cd","blockchain":"sim","status":"awaitingApproval",)"
      R"("approvalsNeeded":1,"approvers":[],"txId":null,"confirmedBy":[],"failedBy":[]}])";
  auto list = parse_open_withdrawals(ok);
  ASSERT_TRUE(list) << list.status().to_string();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, 3u);
  EXPECT_EQ((*list)[0].amount, 5'000);
  EXPECT_EQ((*list)[0].step, WithdrawalStep::Broadcast);
  EXPECT_EQ((*list)[0].tx_id, "t1");
  EXPECT_TRUE(listed((*list)[0].failed_by, "w1"));
  EXPECT_EQ((*list)[1].step, WithdrawalStep::AwaitingApproval);
  EXPECT_TRUE((*list)[1].tx_id.empty());
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = ok;
    s.replace(s.find(from), from.size(), to);
    return parse_open_withdrawals(s);
  };
  EXPECT_FALSE(with(R"("amount":"5000")", R"("amount":5000)"));     // a number, not text
  EXPECT_FALSE(with(R"("amount":"5000")", R"("amount":"-5000")"));
  EXPECT_FALSE(with(R"("amount":"5000")", R"("amount":"99999999999999999999")"));
  EXPECT_FALSE(with(R"("status":"broadcast")", R"("status":"sent")"));
  EXPECT_FALSE(with(R"("txId":"t1")", R"("txId":null)"));          // broadcast without a transaction
  EXPECT_FALSE(with(R"("approvers":["k1"])", R"("approvers":"k1")"));
  EXPECT_FALSE(with(R"("withdrawalId":3,)", ""));
  EXPECT_FALSE(parse_open_withdrawals("{}"));
  EXPECT_FALSE(parse_open_withdrawals("[1"));
}

}  // namespace
}  // namespace glassbook::custody
