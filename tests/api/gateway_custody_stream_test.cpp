// The account's custody streams over the gateway's WebSocket side (a recording connection, no sockets):
// account.withdrawalUpdate at each step of a withdrawal and at each address put on the allow-list,
// account.depositUpdate at each credit and reversal; private to the account, signed to subscribe.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <memory>
#include <string>
#include <vector>

#include "api/gateway.h"
#include "gateway_rig.h"
#include "recording_connection.h"

namespace glassbook::api {
namespace {

using testing::GatewayRig;
using testing::kNow;
using testing::RecordingConnection;
using testing::signed_subscribe;

crypto::KeyPair custodian() { return crypto::KeyPair::from_seed(crypto::seed_from_label("gw/custodian")); }

// One custodian approves; SOL up to 10 is approved at once; addresses usable `cooling_off_us` after
// they are added (the rig's sequencer clock stands still: 0 makes them usable at once).
std::function<void(engine::ExchangeConfig&)> rules(int64_t cooling_off_us) {
  return [cooling_off_us](engine::ExchangeConfig& c) {
    c.custodians = {{custodian().public_key()}, 1};
    c.withdrawals.assets = {{}, {10'000'000'000, 0, 0}};
    c.withdrawals.cooling_off_us = cooling_off_us;
  };
}

// One frame: its stream and the named members of its data, as JSON text ("null", "\"sol1alice\"", "1").
struct Frame {
  std::string stream;
  std::string json;
  std::string operator[](std::string_view key) const {
    simdjson::dom::parser parser;
    simdjson::dom::element root, v;
    if (parser.parse(json).get(root) != simdjson::SUCCESS || root["data"][key].get(v) != simdjson::SUCCESS) return "<absent>";
    if (v.is_string()) return std::string(std::string_view(v));
    return simdjson::minify(v);
  }
};

std::vector<Frame> frames_of(RecordingConnection& c) {
  std::vector<Frame> out;
  for (std::string& text : c.take()) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    std::string_view stream;
    EXPECT_EQ(parser.parse(text).get(root), simdjson::SUCCESS) << text;
    EXPECT_EQ(root["stream"].get(stream), simdjson::SUCCESS) << text;  // a data frame, not an error
    out.push_back({std::string(stream), std::move(text)});
  }
  return out;
}

std::string events_of(const std::vector<Frame>& frames) {
  std::string out;
  for (const Frame& f : frames) out += (out.empty() ? "" : " ") + f["e"];
  return out;
}

std::string withdraw_body(std::string_view quantity) {
  return fmt::format(R"({{"address":"sol1alice","blockchain":"Solana","quantity":"{}","symbol":"SOL"}})", quantity);
}
std::string withdraw_text(std::string_view quantity, int64_t ts) {
  return fmt::format("instruction=withdraw&address=sol1alice&blockchain=Solana&quantity={}&symbol=SOL&timestamp={}&window=5000", quantity, ts);
}

class CustodyStreams : public ::testing::Test {
 protected:
  explicit CustodyStreams(int64_t cooling_off_us = 0) : rig_(rules(cooling_off_us)) {}
  void SetUp() override {
    alice_ = *rig_.view_->account_of(rig_.alice_.public_key());
    for (auto* c : {&alice_streams_, &bob_streams_}) rig_.gateway_->on_open(*c);
    for (std::string_view stream : {"account.withdrawalUpdate", "account.depositUpdate"}) {
      rig_.gateway_->on_message(alice_streams_, signed_subscribe(rig_.alice_, stream));
      rig_.gateway_->on_message(bob_streams_, signed_subscribe(rig_.bob_, stream));
    }
    ASSERT_TRUE(alice_streams_->take().empty());  // no error
    ASSERT_TRUE(bob_streams_->take().empty());
  }
  void TearDown() override {
    for (auto* c : {&alice_streams_, &bob_streams_}) rig_.gateway_->on_close(*c);
    EXPECT_TRUE(bob_streams_->take().empty()) << "another account's custody events reached bob";
  }
  void role(const crypto::KeyPair& key, engine::CommandBody inner) { rig_.submit_native(key, engine::timed(kNow * 1000 + ++role_time_, std::move(inner))); }
  HttpResponse withdraw(std::string_view quantity) {
    const int64_t ts = kNow - ++request_age_;  // distinct signed texts
    return rig_.call(rig_.request(rig_.alice_, "POST", "/wapi/v1/capital/withdrawals", withdraw_body(quantity), withdraw_text(quantity, ts), ts));
  }

  GatewayRig rig_;
  AccountId alice_ = 0;
  int64_t role_time_ = 0;
  int64_t request_age_ = 0;
  std::shared_ptr<RecordingConnection> alice_streams_ = std::make_shared<RecordingConnection>(1);
  std::shared_ptr<RecordingConnection> bob_streams_ = std::make_shared<RecordingConnection>(2);
};

class CustodyStreamsCoolingOff : public CustodyStreams {
 protected:
  CustodyStreamsCoolingOff() : CustodyStreams(3'600'000'000) {}
};

TEST_F(CustodyStreamsCoolingOff, AnAddressOnTheAllowListIsSentWithTheTimeItBecomesUsable) {
  rig_.submit_native(rig_.alice_, engine::AddWithdrawalAddress{alice_, "sol1alice"});
  const auto f = frames_of(*alice_streams_);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].stream, "account.withdrawalUpdate");
  EXPECT_EQ(f[0]["e"], "withdrawalAddressAdded");
  EXPECT_EQ(f[0]["address"], "sol1alice");
  EXPECT_EQ(f[0]["E"], std::to_string(kNow * 1000));
  EXPECT_EQ(f[0]["usableFrom"], "2030-03-17T18:46:40.000");  // kNow + the hour of cooling-off
  EXPECT_EQ(f[0]["coolingOff"], "true");
  // A withdrawal to it while it cools off is refused and sends nothing.
  EXPECT_EQ(withdraw("1").status, 400u);
  EXPECT_TRUE(alice_streams_->take().empty());
}

TEST_F(CustodyStreams, EveryStepOfAWithdrawalIsSentUntilItIsConfirmed) {
  rig_.submit_native(rig_.alice_, engine::AddWithdrawalAddress{alice_, "sol1alice"});
  EXPECT_EQ(events_of(frames_of(*alice_streams_)), "withdrawalAddressAdded");

  // 20 SOL is above what is approved at once: it waits for the custodian.
  ASSERT_EQ(withdraw("20").status, 200u);
  auto f = frames_of(*alice_streams_);
  ASSERT_EQ(events_of(f), "withdrawalRequested");
  EXPECT_EQ(f[0].stream, "account.withdrawalUpdate");
  EXPECT_EQ(f[0]["id"], "1");
  EXPECT_EQ(f[0]["symbol"], "SOL");
  EXPECT_EQ(f[0]["quantity"], "20");
  EXPECT_EQ(f[0]["blockchain"], "Solana");
  EXPECT_EQ(f[0]["toAddress"], "sol1alice");
  EXPECT_EQ(f[0]["status"], "pending");
  EXPECT_EQ(f[0]["glassbookStatus"], "awaitingApproval");
  EXPECT_EQ(f[0]["transactionHash"], "null");

  role(custodian(), engine::ApproveWithdrawal{1});
  f = frames_of(*alice_streams_);
  ASSERT_EQ(events_of(f), "withdrawalApproval withdrawalApproved");
  EXPECT_EQ(f[0]["approvals"], "1");
  EXPECT_EQ(f[0]["approvalsNeeded"], "1");
  EXPECT_EQ(f[1]["glassbookStatus"], "approved");

  role(custodian(), engine::BroadcastWithdrawal{1, "0xfeed"});
  f = frames_of(*alice_streams_);
  ASSERT_EQ(events_of(f), "withdrawalBroadcast");
  EXPECT_EQ(f[0]["transactionHash"], "0xfeed");
  EXPECT_EQ(f[0]["glassbookStatus"], "broadcast");

  role(rig_.watcher_, engine::SettleWithdrawal{1, true});
  f = frames_of(*alice_streams_);
  ASSERT_EQ(events_of(f), "withdrawalConfirmed");
  EXPECT_EQ(f[0]["status"], "confirmed");
  EXPECT_EQ(f[0]["transactionHash"], "0xfeed");
  EXPECT_EQ(f[0]["quantity"], "20");

  // Approved at once (up to 10 SOL): both steps in one command.
  ASSERT_EQ(withdraw("2").status, 200u);
  f = frames_of(*alice_streams_);
  ASSERT_EQ(events_of(f), "withdrawalRequested withdrawalApproved");
  EXPECT_EQ(f[0]["id"], "2");
}

TEST_F(CustodyStreams, AFailedWithdrawalIsSentWithItsHoldReleased) {
  rig_.submit_native(rig_.alice_, engine::AddWithdrawalAddress{alice_, "sol1alice"});
  ASSERT_EQ(withdraw("3").status, 200u);
  role(custodian(), engine::BroadcastWithdrawal{1, "0xdead"});
  frames_of(*alice_streams_);
  role(rig_.watcher_, engine::SettleWithdrawal{1, false});
  const auto f = frames_of(*alice_streams_);
  ASSERT_EQ(events_of(f), "withdrawalFailed");
  EXPECT_EQ(f[0]["status"], "void");
  EXPECT_EQ(f[0]["glassbookStatus"], "failed");
  EXPECT_EQ(f[0]["transactionHash"], "0xdead");
  // The frame is sent once the hold is released: the account's SOL is all available again.
  const HttpResponse capital = rig_.call(rig_.request(rig_.alice_, "GET", "/api/v1/capital", "",
                                                       fmt::format("instruction=balanceQuery&timestamp={}&window=5000", kNow)));
  EXPECT_NE(capital.body.find(R"("SOL":{"available":"1000","locked":"0")"), std::string::npos) << capital.body;
}

TEST_F(CustodyStreams, ADepositIsSentWhenCreditedAndWhenReversed) {
  rig_.submit_native(rig_.watcher_, engine::Deposit{alice_, 1, 2'500'000'000, 777});  // 2.5 SOL
  auto f = frames_of(*alice_streams_);
  ASSERT_EQ(events_of(f), "depositCredited");
  EXPECT_EQ(f[0].stream, "account.depositUpdate");
  EXPECT_EQ(f[0]["id"], "777");
  EXPECT_EQ(f[0]["symbol"], "SOL");
  EXPECT_EQ(f[0]["quantity"], "2.5");
  EXPECT_EQ(f[0]["status"], "confirmed");
  EXPECT_EQ(f[0]["createdAt"], "2030-03-17T17:46:40.000");
  EXPECT_EQ(f[0]["transactionHash"], "null");

  role(rig_.watcher_, engine::ReverseDeposit{777, alice_, 1, 2'500'000'000});
  f = frames_of(*alice_streams_);
  ASSERT_EQ(events_of(f), "depositReversed");
  EXPECT_EQ(f[0]["id"], "777");
  EXPECT_EQ(f[0]["quantity"], "2.5");
  EXPECT_EQ(f[0]["status"], "reversed");
  EXPECT_EQ(f[0]["createdAt"], "2030-03-17T17:46:40.000");  // when it was credited
  // The account's deposit history says so too.
  const HttpResponse history = rig_.call(rig_.request(rig_.alice_, "GET", "/wapi/v1/capital/deposits", "",
                                                       fmt::format("instruction=depositQueryAll&timestamp={}&window=5000", kNow)));
  EXPECT_NE(history.body.find(R"({"id":777,"symbol":"SOL","quantity":"2.5","status":"reversed")"), std::string::npos) << history.body;
}

TEST_F(CustodyStreams, UnsubscribingStopsThemAndSubscribingNeedsTheSignature) {
  rig_.gateway_->on_message(alice_streams_, R"({"method":"UNSUBSCRIBE","params":["account.depositUpdate"]})");
  rig_.submit_native(rig_.watcher_, engine::Deposit{alice_, 1, 1'000'000'000, 778});
  EXPECT_TRUE(alice_streams_->take().empty());
  rig_.submit_native(rig_.alice_, engine::AddWithdrawalAddress{alice_, "sol1alice"});
  EXPECT_EQ(events_of(frames_of(*alice_streams_)), "withdrawalAddressAdded");  // the other stream stays

  auto anon = std::make_shared<RecordingConnection>(3);
  rig_.gateway_->on_open(anon);
  rig_.gateway_->on_message(anon, R"({"id":7,"method":"SUBSCRIBE","params":["account.withdrawalUpdate"]})");
  const auto refused = anon->take();
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_NE(refused[0].find(R"("id":7,"error")"), std::string::npos) << refused[0];
  EXPECT_NE(refused[0].find("private streams need"), std::string::npos) << refused[0];
  EXPECT_FALSE(anon->subscribed());
  rig_.gateway_->on_message(anon, R"({"method":"SUBSCRIBE","params":["account.withdrawalUpdate.SOL"]})");
  EXPECT_NE(anon->take().at(0).find("unknown stream account.withdrawalUpdate.SOL"), std::string::npos);
  rig_.gateway_->on_close(anon);
}

}  // namespace
}  // namespace glassbook::api
