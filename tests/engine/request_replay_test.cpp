// The engine sequences a signed request at most once: a replay inside its window is refused, a refused request is not remembered, snapshots keep what is.
#include <string>
#include <vector>

#include "core/decimal.h"
#include "engine/request_text.h"
#include "exchange_fixture.h"

namespace glassbook::engine::testing {
namespace {

// Applies signed texts at chosen times (µs), as the sequencer would stamp them.
class RequestReplay : public ::testing::Test {
 protected:
  void SetUp() override {
    ex.check_invariants_always();
    for (const char* name : {"alice", "bob"}) ex.trader(name);
    seq = ex.engine().last_seq();
    now = ex.engine().last_timestamp();
    signed_ms = now / 1000;
  }
  std::vector<Event> at(Timestamp ts, const std::string& name, std::string text) {
    Command c;
    c.seq = ++seq;
    c.timestamp = now = ts;
    c.signer = ex.key(name).public_key();
    c.body = SignedRequest{std::move(text)};
    auto ev = ex.engine().apply(c);
    EXPECT_TRUE(ex.engine().check_invariants()) << ex.engine().check_invariants().to_string();
    return std::vector<Event>(ev.begin(), ev.end());
  }
  std::vector<Event> next(const std::string& name, std::string text) { return at(now + 1, name, std::move(text)); }
  // A BTC_USDC limit buy of `lots_` lots at 100,000.0 USDC, signed at `ms` for `window_ms`.
  std::string order(int64_t lots_, int64_t ms, int64_t window_ms = 5000, uint32_t client_id = 0) const {
    std::vector<std::string> owned = {format_decimal(px(1'000'000), 6, true), format_decimal(lots(lots_), 8, true),
                                      std::to_string(client_id)};
    std::vector<TextParam> p = {{"symbol", "BTC_USDC"}, {"side", "Bid"}, {"orderType", "Limit"}, {"price", owned[0]}, {"quantity", owned[1]}};
    if (client_id != 0) p.push_back({"clientId", owned[2]});
    return build_request_text("orderExecute", std::move(p), ms, window_ms);
  }

  Exchange ex;
  SeqNo seq = 0;
  Timestamp now = 0;
  int64_t signed_ms = 0;
};

TEST_F(RequestReplay, AReplayInsideTheWindowIsRefusedAndChangesNothing) {
  const std::string text = order(1, signed_ms);
  EXPECT_EQ(rejection(next("alice", text)), Error::Ok);
  EXPECT_EQ(ex.engine().remembered_requests(), 1u);
  const crypto::Digest root = ex.engine().state_root();
  const size_t open = ex.engine().book(kBtc).order_count();

  const auto replay = next("alice", text);
  EXPECT_EQ(rejection(replay), Error::DuplicateRequest);
  EXPECT_EQ(ex.engine().last_error(), "duplicate request: this signed request was already sequenced");
  EXPECT_EQ(ex.engine().state_root(), root);
  EXPECT_EQ(ex.engine().book(kBtc).order_count(), open);

  // The same text from another key is another request; another text from the same key too (the
  // same order sent twice on purpose is signed twice, with its own timestamp or client id).
  EXPECT_EQ(rejection(next("bob", text)), Error::Ok);
  EXPECT_EQ(rejection(next("alice", order(1, signed_ms + 1))), Error::Ok);
  EXPECT_EQ(rejection(next("alice", order(1, signed_ms, 5000, 9))), Error::Ok);
  EXPECT_EQ(ex.engine().book(kBtc).order_count(), open + 3);
  EXPECT_EQ(ex.engine().remembered_requests(), 4u);
}

TEST_F(RequestReplay, ARequestIsForgottenOnceItsWindowHasClosed) {
  const Timestamp start = now;
  EXPECT_EQ(rejection(next("alice", order(1, signed_ms, 1000))), Error::Ok);
  EXPECT_EQ(rejection(next("alice", order(1, signed_ms, 3000))), Error::Ok);
  EXPECT_EQ(ex.engine().remembered_requests(), 2u);
  // 2 s later the first window has closed: the next accepted request forgets it, not the second.
  const int64_t later_ms = signed_ms + 2000;
  EXPECT_EQ(rejection(at(start + 2'000'000, "alice", order(1, later_ms))), Error::Ok);
  EXPECT_EQ(ex.engine().remembered_requests(), 2u);
  EXPECT_EQ(rejection(next("alice", order(1, signed_ms, 3000))), Error::DuplicateRequest);
  EXPECT_EQ(rejection(next("alice", order(1, signed_ms, 1000))), Error::Expired) << "a replay after its window is expired";
}

TEST_F(RequestReplay, ARefusedRequestIsNotRemembered) {
  // More than alice can pay for: refused, so nothing changed, and the same text may come again.
  const std::string too_big = order(2'000'000, signed_ms);  // 20 BTC at 100,000 USDC: twice her USDC
  const crypto::Digest root = ex.engine().state_root();
  EXPECT_EQ(rejection(next("alice", too_big)), Error::InsufficientFunds);
  EXPECT_EQ(ex.engine().remembered_requests(), 0u);
  EXPECT_EQ(ex.engine().state_root(), root);
  EXPECT_EQ(rejection(next("alice", too_big)), Error::InsufficientFunds);

  // A batch is remembered when one of its orders was accepted; a batch refused entirely is not.
  const std::vector<std::vector<TextParam>> refused_batch = {
      {{"symbol", "BTC_USDC"}, {"side", "Bid"}, {"orderType", "Limit"}, {"price", "100000"}, {"quantity", "100"}},
      {{"symbol", "BTC_USDC"}, {"side", "Bid"}, {"orderType", "Limit"}, {"price", "100000"}, {"quantity", "200"}}};
  const std::string none = build_batch_text("orderExecute", refused_batch, signed_ms, 5000);
  EXPECT_EQ(of_kind(next("alice", none), EventKind::OrderAccepted).size(), 0u);
  EXPECT_EQ(ex.engine().remembered_requests(), 0u);
  std::vector<std::vector<TextParam>> mixed = refused_batch;
  mixed[1][4].value = "0.001";
  const std::string one = build_batch_text("orderExecute", mixed, signed_ms, 5000);
  EXPECT_EQ(of_kind(next("alice", one), EventKind::OrderAccepted).size(), 1u);
  EXPECT_EQ(ex.engine().remembered_requests(), 1u);
  EXPECT_EQ(rejection(next("alice", one)), Error::DuplicateRequest);
}

TEST_F(RequestReplay, SnapshotsKeepTheRememberedRequests) {
  const std::string first = order(1, signed_ms), second = order(2, signed_ms, 60'000);
  ASSERT_EQ(rejection(next("alice", first)), Error::Ok);
  ASSERT_EQ(rejection(next("bob", second)), Error::Ok);
  const std::string bytes = ex.engine().snapshot();
  auto restored = Engine::restore(bytes);
  ASSERT_TRUE(restored.is_ok()) << restored.status().to_string();
  Engine& e = **restored;
  EXPECT_EQ(e.remembered_requests(), 2u);
  EXPECT_EQ(e.state_root(), ex.engine().state_root());
  EXPECT_EQ(e.snapshot(), bytes);

  // The restored engine refuses the replay as the live one does.
  Command c;
  c.seq = e.last_seq() + 1;
  c.timestamp = e.last_timestamp() + 1;
  c.signer = ex.key("bob").public_key();
  c.body = SignedRequest{second};
  const auto events = e.apply(c);
  EXPECT_EQ(rejection(std::vector<Event>(events.begin(), events.end())), Error::DuplicateRequest);

  // The section is read strictly: the two entries swapped, or a window closing beyond what a
  // request can ask for, are refused.
  // The requests section comes before the pending deposits (none: u32 0), the samples (an empty
  // batch per spot market) and what follows them: the trigger orders (none: u32 0 twice), the claims
  // registry (no estates: u32 0), the deposit addresses (none: u32 0) and the withdrawals (none
  // ever: the next id, four empty counts, no reversal: 32 bytes), the distributions (no estates: u32
  // 0), then no published liabilities root (u64 0) and no custody (20 bytes).
  const size_t samples = 25 * ex.engine().config().markets.size();
  const size_t after_samples = 8 + 4 + 4 + 32 + 4 + 8 + 20;
  const size_t section = bytes.size() - after_samples - samples - 4 - 80;
  std::string swapped = bytes;
  swapped.replace(section, 40, bytes, section + 40, 40);
  swapped.replace(section + 40, 40, bytes, section, 40);
  auto refused = Engine::restore(swapped);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("out of (closes, digest) order"), std::string::npos) << refused.status().to_string();
  std::string far = bytes;
  const int64_t beyond = ex.engine().last_timestamp() + 1000 * (kMaxRequestLeadMs + kMaxRequestWindowMs) + 1;
  for (int i = 0; i < 8; ++i) far[section + 40 + i] = static_cast<char>((static_cast<uint64_t>(beyond) >> (8 * i)) & 0xff);
  refused = Engine::restore(far);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("its window closes at"), std::string::npos) << refused.status().to_string();
}

TEST_F(RequestReplay, AStateWithRememberedRequestsHasItsOwnRoot) {
  // The same order as a native command, at the same seq and time, in a copy of the engine: the same
  // books and balances, but no request to remember, so the state roots differ.
  auto copy = Engine::restore(ex.engine().snapshot());
  ASSERT_TRUE(copy.is_ok()) << copy.status().to_string();
  Command native;
  native.seq = seq + 1;
  native.timestamp = now + 1;
  native.signer = ex.key("alice").public_key();
  native.body = PlaceOrder{ex.id("alice"), kBtc, Side::Buy, OrderType::Limit, TimeInForce::GTC, Stp::CancelNewest, px(1'000'000), lots(1), 0};
  const auto native_events = (*copy)->apply(native);
  const std::vector<Event> expected(native_events.begin(), native_events.end());
  EXPECT_EQ(next("alice", order(1, signed_ms)), expected);

  const std::string a = (*copy)->snapshot(), b = ex.engine().snapshot();
  ASSERT_EQ(ex.engine().remembered_requests(), 1u);
  // Both end with the requests section, an empty pending-deposit section (u32 0), the samples, an
  // empty trigger section (u32 0 twice), an empty claims registry (u32 0: no estates), an empty
  // deposit-address section (u32 0), the withdrawals of an exchange that had none (32 bytes), an
  // empty distributions section (u32 0: no estates), no published liabilities root (u64 0) and no
  // custody (20 bytes).
  const size_t samples = 25 * ex.engine().config().markets.size() + 8 + 4 + 4 + 32 + 4 + 8 + 20;
  EXPECT_EQ(a.substr(0, a.size() - samples - 8), b.substr(0, b.size() - samples - 48)) << "all but the remembered request";
  EXPECT_EQ(a.substr(a.size() - samples - 4), b.substr(b.size() - samples - 4));
  EXPECT_NE((*copy)->state_root(), ex.engine().state_root());
}

}  // namespace
}  // namespace glassbook::engine::testing
