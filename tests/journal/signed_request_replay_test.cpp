// Journaled Backpack request texts (SignedRequest records) replay to the live state root; their
// cancels take the cancel lane; a text replay could not decode is never accepted for the journal.
#include <gtest/gtest.h>

#include <random>

#include "core/decimal.h"
#include "engine/request_text.h"
#include "journal/replay.h"
#include "journal/sequencer_submission.h"
#include "journal_test_util.h"

namespace glassbook::journal::testing {
namespace {

constexpr int64_t kSignedAtMs = 1'700'000'000'000;  // the Session's clock starts at this millisecond

std::string price_text(int64_t ticks_from_mid) {
  return format_decimal((1'000'000 + ticks_from_mid) * Session::kTick, 6, true);
}

// A random BTC_USDC order as Backpack text params; `storage` keeps the strings the views point to.
std::vector<engine::TextParam> random_order(std::mt19937_64& rng, std::vector<std::string>& storage) {
  storage.push_back(price_text(static_cast<int64_t>(rng() % 41) - 20));
  const std::string_view price = storage.back();
  storage.push_back(format_decimal(static_cast<int64_t>(1 + rng() % 40) * Session::kLot, 8, true));
  const std::string_view quantity = storage.back();
  std::vector<engine::TextParam> p = {{"symbol", "BTC_USDC"}, {"side", rng() % 2 ? "Bid" : "Ask"}, {"quantity", quantity}};
  if (rng() % 6 == 0) {
    p.push_back({"orderType", "Market"});
  } else {
    p.push_back({"orderType", "Limit"});
    p.push_back({"price", price});
    if (rng() % 5 == 0) p.push_back({"postOnly", "true"});
    if (rng() % 7 == 0) p.push_back({"timeInForce", "IOC"});
  }
  if (rng() % 2 == 0) {
    storage.push_back(std::to_string(1 + rng() % 20));
    p.push_back({"clientId", storage.back()});
  }
  return p;
}

TEST(SignedRequestReplay, JournaledTextsReproduceTheStateRoot) {
  constexpr int kTraders = 4;
  Session live;
  live.trade(kTraders, 200, 51);  // accounts, deposits and some native trading first
  const uint64_t trades_before = live.engine().stats(0).trades;
  std::mt19937_64 rng(52);
  size_t duplicates = 0;
  for (int i = 0; i < 600; ++i) {
    std::vector<std::string> storage;
    storage.reserve(64 * 4);  // the views must not move
    const crypto::KeyPair& key = live.key(static_cast<int>(rng() % kTraders));
    std::string text;
    switch (rng() % 10) {
      case 0: case 1: case 2: case 3:
        text = engine::build_request_text("orderExecute", random_order(rng, storage), kSignedAtMs, 60000);
        break;
      case 4: case 5: {
        std::vector<std::vector<engine::TextParam>> orders(2 + rng() % 4);
        for (auto& o : orders) o = random_order(rng, storage);
        text = engine::build_batch_text("orderExecute", orders, kSignedAtMs, 60000);
        break;
      }
      case 6:
        storage.push_back(std::to_string(1 + rng() % 20));
        text = engine::build_request_text("orderCancel", {{"symbol", "BTC_USDC"}, {"clientId", storage.back()}}, kSignedAtMs, 60000);
        break;
      case 7:
        text = engine::build_request_text("orderCancelAll", {{"symbol", "BTC_USDC"}}, kSignedAtMs, 60000);
        break;
      case 8:  // expired long before it was sequenced: refused, journaled all the same
        text = engine::build_request_text("orderExecute", random_order(rng, storage), kSignedAtMs - 120'000, 5000);
        break;
      default:  // refused by the translation
        text = engine::build_request_text("orderCancelAll", {{"symbol", "BTC_USDC"}, {"orderType", "Limit"}}, kSignedAtMs, 60000);
    }
    const auto events = live.run(key, engine::SignedRequest{std::move(text)});
    if (events.size() == 1 && events[0].kind == engine::EventKind::Rejected && events[0].error == Error::DuplicateRequest) ++duplicates;
  }
  EXPECT_GT(live.engine().stats(0).trades, trades_before);  // the texts traded
  // The same cancel-all text from the same key again inside its window is a replay: refused.
  EXPECT_GT(duplicates, 0u);
  EXPECT_GT(live.engine().remembered_requests(), 0u);
  EXPECT_TRUE(live.engine().check_invariants().is_ok());

  TempDir dir;
  write_journal(dir.path(), live.records(), 32);
  auto rec = open_and_recover(dir.path());
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  size_t texts = 0;
  for (const Record& r : rec->records) {
    if (r.kind != 8) continue;
    ++texts;
    ASSERT_TRUE(r.signed_bytes.starts_with("instruction=")) << r.signed_bytes;
    ASSERT_TRUE(crypto::verify(r.signer, r.signed_bytes, r.signature));  // the client's signature over its own text
  }
  EXPECT_EQ(texts, 600u);

  const std::vector<Record>& records = rec->records;
  ASSERT_EQ(records.size(), live.records().size());
  for (bool verify : {true, false}) {
    engine::Engine fresh(engine::demo_config(live.watcher_key()));
    auto report = replay(records, fresh, verify);
    ASSERT_TRUE(report.is_ok()) << report.status().to_string();
    EXPECT_EQ(report->applied, records.size());
    EXPECT_GT(report->rejected, 0u);
    EXPECT_EQ(fresh.state_root(), live.engine().state_root());
    EXPECT_EQ(fresh.remembered_requests(), live.engine().remembered_requests());
    EXPECT_TRUE(fresh.check_invariants().is_ok());
  }
}

TEST(SignedRequestReplay, UndecodableTextIsCorruption) {
  Session live;
  live.trade(2, 5, 53);
  live.run(live.key(0), engine::SignedRequest{engine::build_request_text("orderCancelAll", {{"symbol", "BTC_USDC"}}, kSignedAtMs, 5000)});
  std::vector<Record> records = live.records();
  records.back().signed_bytes = "instruction=orderCancelAll&symbol=BTC_USDC&timestamp=1&window=60001";
  engine::Engine fresh(engine::demo_config(live.watcher_key()));
  auto report = replay(records, fresh, false);
  ASSERT_FALSE(report.is_ok());
  EXPECT_EQ(report.code(), Error::Corruption);
  EXPECT_NE(report.status().message().find("seq " + std::to_string(records.back().seq) + ": request text: window"),
            std::string::npos)
      << report.status().message();
}

TEST(SignedRequestLane, CancelsTakeTheCancelLane) {
  auto lane = [](std::string text) { return lane_of(engine::SignedRequest{std::move(text)}); };
  EXPECT_EQ(lane(engine::build_request_text("orderCancel", {{"symbol", "BTC_USDC"}, {"orderId", "3"}}, 1, 5000)), Lane::Cancel);
  EXPECT_EQ(lane(engine::build_request_text("orderCancelAll", {{"symbol", "BTC_USDC"}}, 1, 5000)), Lane::Cancel);
  EXPECT_EQ(lane(engine::build_request_text("orderExecute", {{"symbol", "BTC_USDC"}}, 1, 5000)), Lane::Normal);
  const std::vector<std::vector<engine::TextParam>> batch = {{{"a", "1"}}, {{"a", "2"}}};
  EXPECT_EQ(lane(engine::build_batch_text("orderExecute", batch, 1, 5000)), Lane::Normal);
  EXPECT_EQ(lane(engine::build_request_text("balanceQuery", {}, 1, 5000)), Lane::Normal);
  EXPECT_EQ(lane("instruction=orderCancel&symbol=BTC_USDC"), Lane::Normal);  // not a valid text
  EXPECT_EQ(lane_of(engine::CancelAll{16, 0}), Lane::Cancel);
  EXPECT_EQ(lane_of(engine::PlaceOrder{}), Lane::Normal);
}

TEST(SignedRequestLane, SubmissionsOfTexts) {
  const auto key = crypto::KeyPair::from_seed(crypto::seed_from_label("signed-request/submission"));
  const std::string cancel = engine::build_request_text("orderCancelAll", {{"symbol", "BTC_USDC"}}, 1, 5000);
  Submission s = submission_of(engine::sign_command(key, 0, 0, engine::SignedRequest{cancel}));
  EXPECT_EQ(s.kind, 8);
  EXPECT_EQ(s.lane, Lane::Cancel);
  EXPECT_EQ(s.signed_bytes, cancel);
  EXPECT_TRUE(crypto::verify(key.public_key(), cancel, s.signature));
  EXPECT_TRUE(check_submission(s).is_ok()) << check_submission(s).to_string();

  const std::string order = engine::build_request_text("orderExecute", {{"symbol", "BTC_USDC"}}, 1, 5000);
  Submission o = submission_of(engine::sign_command(key, 0, 0, engine::SignedRequest{order}));
  EXPECT_EQ(o.lane, Lane::Normal);
  EXPECT_TRUE(check_submission(o).is_ok());
  o.lane = Lane::Cancel;
  auto lane = check_submission(o);
  ASSERT_FALSE(lane.is_ok());
  EXPECT_NE(lane.message().find("a SignedRequest may not use the cancel lane"), std::string::npos) << lane.message();

  // A text replay would refuse never reaches the journal.
  const std::string bad = "instruction=orderExecute&timestamp=1&window=0";
  Submission b = submission_of(engine::sign_command(key, 0, 0, engine::SignedRequest{bad}));
  auto refused = check_submission(b);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.code(), Error::InvalidArgument);
  EXPECT_NE(refused.message().find("request text: window"), std::string::npos) << refused.message();
  // Signed bytes that are not the body's text are refused as for any command.
  Submission m = submission_of(engine::sign_command(key, 0, 0, engine::SignedRequest{order}));
  m.signed_bytes = cancel;
  EXPECT_FALSE(check_submission(m).is_ok());
}

}  // namespace
// Every record fits a C2SP tlog-tiles entry, whose length is a big-endian uint16: 65,535 bytes in all,
// so 65,370 signed bytes, one under the record format's own bound.
TEST(SignedRequestLane, SubmissionsFitATileEntry) {
  const auto key = crypto::KeyPair::from_seed(crypto::seed_from_label("signed-request/entry"));
  const size_t base = engine::build_request_text("orderCancelAll", {{"symbol", ""}}, 1, 5000).size();
  auto text_of_size = [&](size_t n) { return engine::build_request_text("orderCancelAll", {{"symbol", std::string(n - base, 'A')}}, 1, 5000); };
  ASSERT_EQ(kMinRecordBytes + kMaxSignedBytes - 1, 65'535u);
  const std::string longest = text_of_size(kMaxSignedBytes - 1);
  ASSERT_EQ(longest.size(), kMaxSignedBytes - 1);
  auto fits = check_submission(submission_of(engine::sign_command(key, 0, 0, engine::SignedRequest{longest})));
  EXPECT_EQ(fits.message().find("signed bytes (limit"), std::string::npos) << fits.message();
  const std::string over = text_of_size(kMaxSignedBytes);
  ASSERT_EQ(over.size(), kMaxSignedBytes);
  auto refused = check_submission(submission_of(engine::sign_command(key, 0, 0, engine::SignedRequest{over})));
  EXPECT_EQ(refused.code(), Error::InvalidArgument);
  EXPECT_NE(refused.message().find("65371 signed bytes (limit 65370)"), std::string::npos) << refused.message();
}

}  // namespace glassbook::journal::testing
