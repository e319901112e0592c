// /api/v1/glassbook/withdrawalAddresses: POST, a signed, Backpack-style request that puts an address on
// the account's allow-list (sequencing AddWithdrawalAddress), answered with its cooling-off; DELETE,
// which takes one off (RemoveWithdrawalAddress); GET, the list. Every refusal clear and nothing journaled.
#include <gtest/gtest.h>
#include <fmt/format.h>

#include <memory>
#include <string>

#include "gateway_rig.h"
#include "recording_connection.h"

namespace glassbook::api {
namespace {

using testing::code_of;
using testing::GatewayRig;
using testing::kNow;

constexpr std::string_view kSimAddress = "00112233445566778899aabbccddeeff00112233";
constexpr std::string_view kOtherSimAddress = "ffeeddccbbaa99887766554433221100ffeeddcc";

std::function<void(engine::ExchangeConfig&)> cooling_off(int64_t us) {
  return [us](engine::ExchangeConfig& c) { c.withdrawals.cooling_off_us = us; };
}

class WithdrawalAddresses : public ::testing::Test {
 protected:
  explicit WithdrawalAddresses(int64_t cooling_off_us = 3'600'000'000) : rig_(cooling_off(cooling_off_us)) {}
  void SetUp() override {
    alice_ = *rig_.view_->account_of(rig_.alice_.public_key());
    // The chains the exchange serves: those its chain watcher records deposit addresses on.
    record(alice_, 1, "sim", "0123456789abcdef0123456789abcdef01234567");
    record(alice_, 1, "Solana", "5FHwkrdxntdK24hgQU8qgBjn35Y1zwhz1GZwCkP2UJnM");
  }
  void record(AccountId account, AssetId asset, std::string chain, std::string address) {
    rig_.submit_native(rig_.watcher_, engine::timed(kNow * 1000 + ++role_time_, engine::RecordDepositAddress{account, asset, chain, address}));
  }
  // The signed request, its text built from `params` (already sorted by key) as a Backpack client signs it.
  HttpResponse add(std::vector<std::pair<std::string, std::string>> params, const crypto::KeyPair* key = nullptr) {
    return signed_call("POST", "withdrawalAddressAdd", std::move(params), key);
  }
  HttpResponse remove(std::string_view address, const crypto::KeyPair* key = nullptr) {
    return signed_call("DELETE", "withdrawalAddressRemove", {{"address", std::string(address)}}, key);
  }
  HttpResponse list(const crypto::KeyPair* key = nullptr) {
    const int64_t ts = kNow - ++age_;
    return rig_.call(rig_.request(key != nullptr ? *key : rig_.alice_, "GET", "/api/v1/glassbook/withdrawalAddresses", "",
                                  fmt::format("instruction=withdrawalAddressQueryAll&timestamp={}&window=5000", ts), ts));
  }
  HttpResponse signed_call(std::string method, std::string_view instruction, std::vector<std::pair<std::string, std::string>> params,
                           const crypto::KeyPair* key) {
    std::string body = "{", text = fmt::format("instruction={}", instruction);
    for (const auto& [k, v] : params) {
      body += fmt::format(R"({}"{}":"{}")", body.size() > 1 ? "," : "", k, v);
      text += fmt::format("&{}={}", k, v);
    }
    body += "}";
    const int64_t ts = kNow - ++age_;  // distinct signed texts
    text += fmt::format("&timestamp={}&window=5000", ts);
    return rig_.call(rig_.request(key != nullptr ? *key : rig_.alice_, method, "/api/v1/glassbook/withdrawalAddresses", body, text, ts));
  }
  HttpResponse withdraw(std::string_view address) {
    const int64_t ts = kNow - ++age_;
    const std::string body = fmt::format(R"({{"address":"{}","blockchain":"sim","quantity":"1","symbol":"SOL"}})", address);
    const std::string text = fmt::format("instruction=withdraw&address={}&blockchain=sim&quantity=1&symbol=SOL&timestamp={}&window=5000", address, ts);
    return rig_.call(rig_.request(rig_.alice_, "POST", "/wapi/v1/capital/withdrawals", body, text, ts));
  }
  // A refusal: 400 INVALID_CLIENT_REQUEST naming `why`, and nothing journaled.
  void expect_refused(std::vector<std::pair<std::string, std::string>> params, std::string_view why) {
    const uint64_t before = rig_.journaled();
    const HttpResponse r = add(std::move(params));
    EXPECT_EQ(r.status, 400u) << r.body;
    EXPECT_EQ(code_of(r), "INVALID_CLIENT_REQUEST") << r.body;
    EXPECT_NE(r.body.find(why), std::string::npos) << r.body;
    EXPECT_EQ(rig_.journaled(), before) << "a refused request was journaled";
  }

  GatewayRig rig_;
  AccountId alice_ = 0;
  int64_t role_time_ = 0;
  int64_t age_ = 0;
};

TEST_F(WithdrawalAddresses, AnAddressIsAllowListedWithItsCoolingOffInTheAnswerAndTheStream) {
  auto stream = std::make_shared<testing::RecordingConnection>(1);
  rig_.gateway_->on_open(stream);
  rig_.gateway_->on_message(stream, testing::signed_subscribe(rig_.alice_, "account.withdrawalUpdate"));
  const uint64_t before = rig_.journaled();
  const HttpResponse r = add({{"address", std::string(kSimAddress)}, {"blockchain", "sim"}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(rig_.journaled(), before + 1);
  EXPECT_EQ(r.body, fmt::format(R"({{"journalSeq":{},"address":"{}","blockchain":"sim","createdAt":"2030-03-17T17:46:40.000",)"
                                R"("usableFrom":"2030-03-17T18:46:40.000","coolingOffSeconds":3600,"status":"coolingOff"}})",
                                before, kSimAddress));
  const auto frames = stream->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_NE(frames[0].find(fmt::format(R"("e":"withdrawalAddressAdded","E":{0},"T":{0},"address":"{1}","usableFrom":"2030-03-17T18:46:40.000")",
                                       kNow * 1000, kSimAddress)),
            std::string::npos)
      << frames[0];
  rig_.gateway_->on_close(stream);

  // On the list, but cooling off: a withdrawal to it is refused with the engine's code.
  const HttpResponse w = withdraw(kSimAddress);
  EXPECT_EQ(code_of(w), "ADDRESS_COOLING_OFF") << w.body;
  EXPECT_NE(w.body.find("cooling off until"), std::string::npos) << w.body;

  // Another account's list is its own: bob may list the same address.
  const HttpResponse bob = add({{"address", std::string(kSimAddress)}, {"blockchain", "sim"}}, &rig_.bob_);
  EXPECT_EQ(bob.status, 200u) << bob.body;
}

TEST_F(WithdrawalAddresses, EveryRefusalSaysWhyAndJournalsNothing) {
  ASSERT_EQ(add({{"address", std::string(kSimAddress)}, {"blockchain", "sim"}}).status, 200u);
  expect_refused({{"address", std::string(kSimAddress)}, {"blockchain", "sim"}},
                 fmt::format("address {} is already on this account's allow-list (usable from 2030-03-17T18:46:40.000)", kSimAddress));
  expect_refused({{"address", std::string(kOtherSimAddress)}, {"blockchain", "Bitcoin"}}, "unknown blockchain Bitcoin: this exchange serves Solana, sim");
  expect_refused({{"address", fmt::format("0x{}", kOtherSimAddress)}, {"blockchain", "sim"}},
                 "is not an address of sim: 40 lower-case hex digits without 0x");
  expect_refused({{"address", "FFEEDDCCBBAA99887766554433221100FFEEDDCC"}, {"blockchain", "sim"}}, "is not an address of sim");
  expect_refused({{"address", "sol-address"}, {"blockchain", "Solana"}}, "address sol-address: 1 to 128 letters and digits");
  expect_refused({{"blockchain", "sim"}}, "missing field address");
  expect_refused({{"address", std::string(kOtherSimAddress)}}, "missing field blockchain");
  expect_refused({{"address", std::string(kOtherSimAddress)}, {"blockchain", "sim"}, {"symbol", "SOL"}}, "unknown field symbol");

  // A signature over other parameters, or by another key than the header's.
  const uint64_t before = rig_.journaled();
  HttpRequest forged = rig_.request(rig_.alice_, "POST", "/api/v1/glassbook/withdrawalAddresses",
                                    fmt::format(R"({{"address":"{}","blockchain":"sim"}})", kOtherSimAddress),
                                    fmt::format("instruction=withdrawalAddressAdd&address={}&blockchain=sim&timestamp={}&window=5000", kSimAddress, kNow));
  const HttpResponse r = rig_.call(std::move(forged));
  EXPECT_EQ(r.status, 401u) << r.body;
  EXPECT_EQ(code_of(r), "INVALID_SIGNATURE") << r.body;
  EXPECT_EQ(rig_.journaled(), before);
}

TEST_F(WithdrawalAddresses, AnExchangeServingNoChainYetSaysSo) {
  GatewayRig fresh(cooling_off(0));
  const HttpRequest req = fresh.request(fresh.alice_, "POST", "/api/v1/glassbook/withdrawalAddresses",
                                        fmt::format(R"({{"address":"{}","blockchain":"sim"}})", kSimAddress),
                                        fmt::format("instruction=withdrawalAddressAdd&address={}&blockchain=sim&timestamp={}&window=5000", kSimAddress, kNow));
  const HttpResponse r = fresh.call(req);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_NE(r.body.find("unknown blockchain sim: this exchange serves none yet"), std::string::npos) << r.body;
}

class WithdrawalAddressesUsableAtOnce : public WithdrawalAddresses {
 protected:
  WithdrawalAddressesUsableAtOnce() : WithdrawalAddresses(0) {}
};

TEST_F(WithdrawalAddressesUsableAtOnce, AWithdrawalToTheListedAddressIsTaken) {
  EXPECT_EQ(code_of(withdraw(kSimAddress)), "ADDRESS_COOLING_OFF");  // not listed yet
  const HttpResponse r = add({{"address", std::string(kSimAddress)}, {"blockchain", "sim"}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_NE(r.body.find(R"("coolingOffSeconds":0,"status":"usable")"), std::string::npos) << r.body;
  const HttpResponse w = withdraw(kSimAddress);
  ASSERT_EQ(w.status, 200u) << w.body;
  EXPECT_NE(w.body.find(fmt::format(R"("toAddress":"{}")", kSimAddress)), std::string::npos) << w.body;
}

TEST_F(WithdrawalAddresses, TheListIsTheAccountsOwnAndAnAddressComesOffIt) {
  EXPECT_EQ(list().body, "[]");
  ASSERT_EQ(add({{"address", std::string(kSimAddress)}, {"blockchain", "sim"}}).status, 200u);
  ASSERT_EQ(add({{"address", std::string(kOtherSimAddress)}, {"blockchain", "sim"}}).status, 200u);
  ASSERT_EQ(add({{"address", std::string(kOtherSimAddress)}, {"blockchain", "sim"}}, &rig_.bob_).status, 200u);
  HttpResponse r = list();
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.body, fmt::format(R"([{{"address":"{}","usableFrom":"2030-03-17T18:46:40.000","status":"coolingOff"}},)"
                                R"({{"address":"{}","usableFrom":"2030-03-17T18:46:40.000","status":"coolingOff"}}])",
                                kSimAddress, kOtherSimAddress));

  auto stream = std::make_shared<testing::RecordingConnection>(1);
  rig_.gateway_->on_open(stream);
  rig_.gateway_->on_message(stream, testing::signed_subscribe(rig_.alice_, "account.withdrawalUpdate"));
  const uint64_t before = rig_.journaled();
  r = remove(kSimAddress);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(rig_.journaled(), before + 1);
  EXPECT_EQ(r.body, fmt::format(R"({{"journalSeq":{},"address":"{}","removedAt":"2030-03-17T17:46:40.000","status":"removed"}})", before,
                                kSimAddress));
  const auto frames = stream->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_NE(frames[0].find(fmt::format(R"("e":"withdrawalAddressRemoved","E":{0},"T":{0},"address":"{1}")", kNow * 1000, kSimAddress)),
            std::string::npos)
      << frames[0];
  rig_.gateway_->on_close(stream);
  EXPECT_EQ(list().body, fmt::format(R"([{{"address":"{}","usableFrom":"2030-03-17T18:46:40.000","status":"coolingOff"}}])", kOtherSimAddress));
  EXPECT_EQ(list(&rig_.bob_).body, fmt::format(R"([{{"address":"{}","usableFrom":"2030-03-17T18:46:40.000","status":"coolingOff"}}])",
                                               kOtherSimAddress))
      << "bob's list is his own";

  // Refusals, nothing journaled: not on the list (any more), another field, no address.
  for (auto [params, why] : std::vector<std::pair<std::vector<std::pair<std::string, std::string>>, std::string>>{
           {{{"address", std::string(kSimAddress)}}, fmt::format("address {} is not on this account's allow-list", kSimAddress)},
           {{{"address", "abc"}, {"blockchain", "sim"}}, "unknown field blockchain"},
           {{}, "missing field address"}}) {
    const uint64_t n = rig_.journaled();
    const HttpResponse refused = signed_call("DELETE", "withdrawalAddressRemove", params, nullptr);
    EXPECT_EQ(refused.status, 400u) << refused.body;
    EXPECT_NE(refused.body.find(why), std::string::npos) << refused.body;
    EXPECT_EQ(rig_.journaled(), n) << "a refused removal was journaled";
  }
  EXPECT_EQ(code_of(withdraw(kSimAddress)), "ADDRESS_COOLING_OFF") << "a removed address takes no withdrawal";
}

}  // namespace
}  // namespace glassbook::api
