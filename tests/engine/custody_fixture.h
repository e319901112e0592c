// Test fixture for the exchange's wallets and reconciliation: operators (2 of 3), custodians (2 of
// 3) and chain watchers (2 of 2; a deposit up to 20 BTC credited on one attestation), alice and bob holding BTC,
// and helpers for the custody commands in their timed form.
#pragma once
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "perp_fixture.h"
#include "refusal_check.h"

namespace glassbook::engine::testing {

inline constexpr const char* kHot = "00000000000000000000000000000000000000a1";
inline constexpr const char* kCold = "00000000000000000000000000000000000000c1";
inline constexpr const char* kOps = "00000000000000000000000000000000000000f1";
inline constexpr const char* kCustomerAddress = "00000000000000000000000000000000000000e1";

class CustodyTest : public ::testing::Test {
 protected:
  static crypto::KeyPair role_key(const std::string& label) { return crypto::KeyPair::from_seed(crypto::seed_from_label("test/role/" + label)); }
  static crypto::KeyPair op(int i) { return role_key("operator" + std::to_string(i)); }
  static crypto::KeyPair custodian(int i) { return role_key("custodian" + std::to_string(i)); }
  static crypto::KeyPair second_watcher() { return role_key("watcher2"); }

  static void roles(ExchangeConfig& c, bool halt) {
    c.operators = {{op(1).public_key(), op(2).public_key(), op(3).public_key()}, 2};
    c.custodians = {{custodian(1).public_key(), custodian(2).public_key(), custodian(3).public_key()}, 2};
    c.chain_watchers = {{c.chain_watchers.keys[0], second_watcher().public_key()}, 2};
    c.governance.large_deposit = {20 * kBtcUnit, 1'000'000'000'000'000, 1'000'000 * kUsdc};
    c.withdrawals.assets = {{kBtcUnit, 0, 0}, {1'000'000'000'000, 0, 0}};  // up to 1 BTC, 1,000 SOL approved at once
    c.custody.halt_withdrawals_on_alert = halt;
  }

  explicit CustodyTest(bool halt = true) : ex([halt](ExchangeConfig& c) { roles(c, halt); }) {
    ex.check_invariants_always();
    ex.open("alice");
    ex.open("bob");
    ex.deposit("alice", BTC, 10 * kBtcUnit);
    ex.deposit("alice", SOL, 100'000'000'000);
  }

  RegisterWallet wallet(const std::string& address, AssetId asset, WalletKind kind) const {
    return RegisterWallet{"sim", asset, address, kind, {custodian(1).public_key(), custodian(2).public_key(), custodian(3).public_key()}, 2};
  }
  // A role command in its timed form, signed at the time the sequencer stamps it.
  std::vector<Event> role(const crypto::KeyPair& k, CommandBody inner) { return ex.run(k, timed(ex.now() + 1, std::move(inner))); }
  void register_wallet(const std::string& address, AssetId asset, WalletKind kind) {
    role(op(1), wallet(address, asset, kind));
    ASSERT_EQ(of_kind(role(op(2), wallet(address, asset, kind)), EventKind::WalletRegistered).size(), 1u);
  }
  // Both chain watchers report the balance; the events of the second report.
  std::vector<Event> observe(const std::string& address, uint64_t height, int64_t balance) {
    auto first = role(ex.watcher(), ObserveWalletBalance{"sim", address, height, balance});
    EXPECT_EQ(of_kind(first, EventKind::CustodyVote).size(), 1u) << (first.empty() ? "" : first[0].message);
    auto ev = role(second_watcher(), ObserveWalletBalance{"sim", address, height, balance});
    EXPECT_EQ(of_kind(ev, EventKind::WalletBalanceObserved).size(), 1u) << (ev.empty() ? "" : ev[0].message);
    return ev;
  }

  // The withdrawal path (allow-list, request) for the tests that need it.
  struct Driver {
    Exchange& ex;
    std::vector<Event> add_address(const std::string& name, const std::string& address = kCustomerAddress) {
      return ex.run(ex.key(name), AddWithdrawalAddress{ex.id(name), address});
    }
    std::vector<Event> request(const std::string& name, AssetId asset, int64_t amount, const std::string& address = kCustomerAddress) {
      return ex.run(ex.key(name), RequestWithdrawal{ex.id(name), asset, amount, address, "sim", 0});
    }
    void ready(const std::string& name) { ASSERT_EQ(of_kind(add_address(name), EventKind::WithdrawalAddressAdded).size(), 1u); }
    uint64_t requested_id(const std::vector<Event>& ev) {
      const auto r = of_kind(ev, EventKind::WithdrawalRequested);
      EXPECT_EQ(r.size(), 1u) << (ev.empty() ? "" : ev[0].message);
      return r.empty() ? 0 : r[0].order_id;
    }
  };

  // The command is refused with `code`, a message naming `words`, and the state root does not move.
  void expect_refused(const std::function<std::vector<Event>()>& command, Error code, const std::string& words) {
    expect_refused_unchanged(ex, command, code, words);
  }

  Exchange ex;
  Driver d{ex};
};

}  // namespace glassbook::engine::testing
