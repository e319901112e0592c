// The withdrawal tests' fixture: custodians 1..3 (two must approve), two chain watchers, BTC and SOL
// limits, an hour's cooling-off; a driver for every withdrawal command; and the refusal check.
#pragma once
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "perp_fixture.h"
#include "refusal_check.h"

namespace glassbook::engine::testing {

inline crypto::KeyPair role_key(const std::string& label) { return crypto::KeyPair::from_seed(crypto::seed_from_label("test/role/" + label)); }
inline crypto::KeyPair custodian(int i) { return role_key("custodian" + std::to_string(i)); }
inline crypto::KeyPair second_watcher() { return role_key("watcher2"); }
inline crypto::KeyPair fixture_watcher() { return crypto::KeyPair::from_seed(crypto::seed_from_label("test/watcher")); }

inline constexpr int64_t kHour = 3'600'000'000;
inline constexpr const char* kAddress = "0xa11ce00000000000000000000000000000000001";

// Custodians 1..3, two must approve; the fixture's watcher and a second one, both must attest an
// outcome or a reversal (deposits up to 1,000,000 whole units need one). BTC: withdrawals above 1 BTC
// need approvals, at most 5 BTC per account and 8 BTC in all per hour; SOL: every withdrawal needs
// approvals. New addresses cool off for an hour.
inline void withdrawal_roles(ExchangeConfig& c) {
  c.custodians = {{custodian(1).public_key(), custodian(2).public_key(), custodian(3).public_key()}, 2};
  c.chain_watchers = {{fixture_watcher().public_key(), second_watcher().public_key()}, 2};
  c.governance.large_deposit = {1'000'000 * kBtcUnit, 1'000'000'000'000'000, 1'000'000 * kUsdc};
  c.withdrawals.window_us = kHour;
  c.withdrawals.cooling_off_us = kHour;
  c.withdrawals.assets = {{kBtcUnit, 5 * kBtcUnit, 8 * kBtcUnit}};
}

// Drives the withdrawal commands on any fixture.
struct Driver {
  Exchange& ex;

  std::vector<Event> add_address(const std::string& name, const std::string& address = kAddress) {
    return ex.run(ex.key(name), AddWithdrawalAddress{ex.id(name), address});
  }
  std::vector<Event> request(const std::string& name, AssetId asset, int64_t amount, const std::string& address = kAddress,
                             uint32_t client_id = 0) {
    return ex.run(ex.key(name), RequestWithdrawal{ex.id(name), asset, amount, address, "Ethereum", client_id});
  }
  // A role command in its timed form, signed at the time the sequencer stamps it.
  std::vector<Event> role(const crypto::KeyPair& k, CommandBody inner) { return ex.run(k, timed(ex.now() + 1, std::move(inner))); }
  std::vector<Event> approve(int who, uint64_t id) { return role(custodian(who), ApproveWithdrawal{id}); }
  std::vector<Event> broadcast(int who, uint64_t id, const std::string& tx = "0xfeed01") { return role(custodian(who), BroadcastWithdrawal{id, tx}); }
  std::vector<Event> settle(const crypto::KeyPair& w, uint64_t id, bool confirmed) { return role(w, SettleWithdrawal{id, confirmed}); }
  std::vector<Event> reverse(const crypto::KeyPair& w, uint64_t deposit_id, const std::string& name, AssetId asset, int64_t amount) {
    return role(w, ReverseDeposit{deposit_id, ex.id(name), asset, amount});
  }
  // An allow-listed address whose cooling-off has passed.
  void ready(const std::string& name) {
    ASSERT_EQ(of_kind(add_address(name), EventKind::WithdrawalAddressAdded).size(), 1u);
    ex.advance(kHour);
  }
  uint64_t requested_id(const std::vector<Event>& ev) {
    const auto r = of_kind(ev, EventKind::WithdrawalRequested);
    EXPECT_EQ(r.size(), 1u) << (ev.empty() ? "" : ev[0].message);
    return r.empty() ? 0 : r[0].order_id;
  }
};

class Withdrawals : public ::testing::Test {
 protected:
  Withdrawals() : ex(withdrawal_roles), d{ex} {
    ex.check_invariants_always();
    alice = ex.open("alice");
    bob = ex.open("bob");
    alice_btc = ex.deposit("alice", BTC, 10 * kBtcUnit)[0].order_id;
    ex.deposit("bob", BTC, 10 * kBtcUnit);
    ex.deposit("alice", SOL, 100'000'000'000);
  }

  // The command is refused with `code`, a message naming `words`, and the state root does not move.
  void expect_refused(const std::function<std::vector<Event>()>& command, Error code, const std::string& words) {
    expect_refused_unchanged(ex, command, code, words);
  }

  Exchange ex;
  Driver d;
  AccountId alice = 0, bob = 0;
  uint64_t alice_btc = 0;  // the deposit id of alice's 10 BTC
};

}  // namespace glassbook::engine::testing
