// The Backpack signing-text parser accepts exactly its grammar and the builders are its inverse.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "engine/request_text.h"

namespace glassbook::engine {
namespace {

using namespace std::literals;

constexpr std::string_view kTail = "timestamp=1700000000000&window=5000";

RequestText parsed(std::string_view text) {
  auto r = parse_request_text(text);
  EXPECT_TRUE(r.is_ok()) << text << ": " << r.status().to_string();
  return r.is_ok() ? *r : RequestText{};
}

// Refused with InvalidArgument and a message containing `why`.
void expect_refused(std::string_view text, std::string_view why) {
  auto r = parse_request_text(text);
  ASSERT_FALSE(r.is_ok()) << "accepted: " << text;
  EXPECT_EQ(r.code(), Error::InvalidArgument) << text;
  EXPECT_NE(r.status().message().find(why), std::string::npos) << text << " -> " << r.status().message();
}

std::string with_tail(std::string_view head) { return std::string(head) + std::string(kTail); }

TEST(RequestText, ParsesTheBackpackExample) {
  const std::string text =
      "instruction=orderExecute&orderType=Limit&price=100.5&quantity=1&side=Bid&symbol=SOL_USDC&timestamp=1700000000000&window=5000";
  const RequestText r = parsed(text);
  ASSERT_EQ(r.instructions.size(), 1u);
  EXPECT_EQ(r.instructions[0].name, "orderExecute");
  const std::vector<TextParam> want = {
      {"orderType", "Limit"}, {"price", "100.5"}, {"quantity", "1"}, {"side", "Bid"}, {"symbol", "SOL_USDC"}};
  EXPECT_EQ(r.instructions[0].params, want);
  EXPECT_EQ(r.timestamp_ms, 1'700'000'000'000);
  EXPECT_EQ(r.window_ms, 5000);
  // The views point into the text.
  EXPECT_EQ(r.instructions[0].params[0].key.data(), text.data() + 25);
}

TEST(RequestText, ParsesNoParamsAndBatches) {
  const std::string none_text = with_tail("instruction=balanceQuery&");  // outlives the views into it
  const RequestText none = parsed(none_text);
  ASSERT_EQ(none.instructions.size(), 1u);
  EXPECT_TRUE(none.instructions[0].params.empty());

  const std::string batch_text = with_tail("instruction=orderExecute&a=1&instruction=orderExecute&a=2&b=x&");
  const RequestText batch = parsed(batch_text);
  ASSERT_EQ(batch.instructions.size(), 2u);
  EXPECT_EQ(batch.instructions[0].params, (std::vector<TextParam>{{"a", "1"}}));
  EXPECT_EQ(batch.instructions[1].params, (std::vector<TextParam>{{"a", "2"}, {"b", "x"}}));

  EXPECT_EQ(parsed("instruction=orderCancelAll&symbol=SOL_USDC&timestamp=1&window=60000").window_ms, 60000);
  EXPECT_EQ(parsed("instruction=orderCancelAll&timestamp=9223372036854775807&window=1").timestamp_ms, INT64_MAX);
}

TEST(RequestText, AcceptsEveryInstructionName) {
  for (std::string_view name : {"balanceQuery", "orderExecute", "orderCancel", "orderCancelAll", "orderQuery",
                                "orderQueryAll", "orderHistoryQueryAll", "fillHistoryQueryAll", "depositQueryAll",
                                "withdrawalQueryAll", "withdraw", "subscribe"})
    EXPECT_EQ(parsed(with_tail("instruction=" + std::string(name) + "&")).instructions[0].name, name);
}

TEST(RequestText, RefusesBadShapes) {
  expect_refused("", "empty text");
  expect_refused(std::string(kMaxRequestTextBytes + 1, 'a'), "limit 16384");
  expect_refused(with_tail("side=Bid&"), "must start with instruction=");
  expect_refused(kTail, "must start with instruction=");
  expect_refused(with_tail("&instruction=orderExecute&"), "offset 0");
  expect_refused(with_tail("instruction=orderExecute&&"), "expected key=value at offset 25");
  expect_refused(with_tail("instruction=orderExecute&side&"), "expected key=value at offset 25");
  expect_refused(with_tail("instruction=orderExecute&side=Bid=Ask&"), "bad value for key side at offset 33: '=' is not one of [A-Za-z0-9._-]");
  expect_refused(with_tail("instruction=orderExecute&=Bid&"), "bad key at offset 25");
  expect_refused(with_tail("instruction=orderExecute&si-de=Bid&"), "bad key at offset 25");
  expect_refused(with_tail("instruction=orderExecute&" + std::string(33, 'k') + "=1&"), "bad key at offset 25");
  expect_refused(with_tail("instruction=orderExecute&side=&"), "bad value for key side at offset 30: 0 bytes, not 1..64");
  expect_refused(with_tail("instruction=orderExecute&side=" + std::string(65, 'v') + "&"), "bad value for key side at offset 30: 65 bytes, not 1..64");
  expect_refused(with_tail("instruction=orderExecute&side=B d&"), "bad value for key side at offset 31: byte 0x20 is not one of");
  expect_refused(with_tail("instruction=orderExecute&price=1%2E5&"), "'%' is not one of");
  expect_refused(with_tail("instruction=orderExecute&price=+1&"), "bad value for key price");
  expect_refused(with_tail("instruction=orderExecute&price=1\xC3\xA9&"), "byte 0xc3 is not one of");
  expect_refused(with_tail("instruction=orderExecute&price=1\0&"sv), "byte 0x00 is not one of");
  expect_refused(with_tail("instruction=orderExecute&") + "&", "trailing '&'");
  expect_refused("instruction=orderExecute&timestamp=1&window=1&", "trailing '&'");
  // Longest key and value are accepted.
  parsed(with_tail("instruction=orderExecute&" + std::string(32, 'k') + "=" + std::string(64, '.') + "&"));
}

TEST(RequestText, RefusesUnknownInstructionsAndBadBatches) {
  expect_refused(with_tail("instruction=orderexecute&"), "unknown instruction orderexecute at offset 0");
  expect_refused(with_tail("instruction=orderExecute&a=1&instruction=nope&"), "unknown instruction nope at offset 29");
  expect_refused(with_tail("instruction=orderExecute&instruction=orderCancel&"), "only orderExecute may be batched, not orderCancel");
  expect_refused(with_tail("instruction=orderCancel&orderId=1&instruction=orderCancel&orderId=2&"), "only orderExecute");
  std::string fifty, fifty_one;
  for (int i = 0; i < 50; ++i) fifty += "instruction=orderExecute&a=" + std::to_string(i) + "&";
  fifty_one = fifty + "instruction=orderExecute&";
  EXPECT_EQ(parsed(with_tail(fifty)).instructions.size(), 50u);
  expect_refused(with_tail(fifty_one), "more than 50 instructions");
}

TEST(RequestText, RefusesUnorderedDuplicateAndReservedKeys) {
  expect_refused(with_tail("instruction=orderExecute&side=Bid&price=1&"), "key price at offset 34 out of order");
  expect_refused(with_tail("instruction=orderExecute&side=Bid&side=Ask&"), "duplicate key side at offset 34");
  parsed(with_tail("instruction=orderExecute&Side=Bid&side=Ask&"));  // bytewise: 'S' < 's'
  expect_refused(with_tail("instruction=orderExecute&side=Ask&Side=Bid&"), "key Side at offset 34 out of order");
  // Keys restart with each instruction of a batch.
  parsed(with_tail("instruction=orderExecute&side=Bid&instruction=orderExecute&price=1&"));
  // timestamp and window only at the very end, once each, in that order.
  expect_refused("instruction=orderExecute&timestamp=1&side=Bid&window=5", "window must follow timestamp at offset 37");
  expect_refused("instruction=orderExecute&window=5&timestamp=1", "window before timestamp at offset 25");
  expect_refused("instruction=orderExecute&timestamp=1&timestamp=2&window=5", "window must follow timestamp at offset 37");
  expect_refused("instruction=orderExecute&timestamp=1&instruction=orderExecute&window=5", "window must follow timestamp");
  expect_refused("instruction=orderExecute&timestamp=1&window=5&window=5", "text continues after window at offset 45");
  expect_refused("instruction=orderExecute&timestamp=1&window=5&side=Bid", "text continues after window");
  expect_refused("instruction=orderExecute&side=Bid", "missing timestamp=..&window=.. at the end (offset 33)");
  expect_refused("instruction=orderExecute&timestamp=1", "missing timestamp=..&window=..");
}

TEST(RequestText, RefusesBadTimestampsAndWindows) {
  for (std::string_view ts : {"0", "01", "-1", "1.5", "x", "9223372036854775808", "99999999999999999999"})
    expect_refused("instruction=orderExecute&timestamp=" + std::string(ts) + "&window=5", "timestamp at offset 25 must be");
  for (std::string_view w : {"0", "05", "-5", "60001", "1e3", "99999999999999999999"})
    expect_refused("instruction=orderExecute&timestamp=1&window=" + std::string(w), "window at offset 37 must be");
}

TEST(RequestText, BuildersSortAndRoundTrip) {
  const std::string text = build_request_text(
      "orderExecute", {{"symbol", "SOL_USDC"}, {"side", "Bid"}, {"quantity", "1"}, {"price", "100.5"}, {"orderType", "Limit"}},
      1'700'000'000'000, 5000);
  EXPECT_EQ(text,
            "instruction=orderExecute&orderType=Limit&price=100.5&quantity=1&side=Bid&symbol=SOL_USDC&timestamp=1700000000000&window=5000");
  EXPECT_EQ(build_request_text("balanceQuery", {}, 1, 1), "instruction=balanceQuery&timestamp=1&window=1");

  const std::vector<std::vector<TextParam>> orders = {{{"side", "Bid"}, {"price", "1"}}, {}, {{"b", "2"}, {"a", "1"}}};
  const std::string batch = build_batch_text("orderExecute", orders, 42, 60000);
  EXPECT_EQ(batch,
            "instruction=orderExecute&price=1&side=Bid&instruction=orderExecute&instruction=orderExecute&a=1&b=2&"
            "timestamp=42&window=60000");
  const RequestText r = parsed(batch);
  ASSERT_EQ(r.instructions.size(), 3u);
  EXPECT_EQ(r.instructions[0].params, (std::vector<TextParam>{{"price", "1"}, {"side", "Bid"}}));
  EXPECT_TRUE(r.instructions[1].params.empty());
  EXPECT_EQ(r.instructions[2].params, (std::vector<TextParam>{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(r.timestamp_ms, 42);
  EXPECT_EQ(r.window_ms, 60000);
}

// A random valid request: random keys (distinct), values, instruction names and numbers.
struct RandomRequest {
  std::vector<std::string> storage;  // owns the strings the views point into
  std::string_view name;
  std::vector<std::vector<TextParam>> orders;
  int64_t timestamp_ms = 0, window_ms = 0;
};

std::string random_string(std::mt19937_64& rng, std::string_view alphabet, size_t max) {
  std::string s(1 + rng() % max, ' ');
  for (char& c : s) c = alphabet[rng() % alphabet.size()];
  return s;
}

void make_random(std::mt19937_64& rng, RandomRequest& r) {
  static constexpr std::string_view kKeyChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  static constexpr std::string_view kValueChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
  static constexpr std::string_view kNames[] = {"balanceQuery", "orderExecute", "orderCancel", "orderCancelAll",
                                                "orderQuery", "withdraw", "subscribe"};
  const bool batch = rng() % 3 == 0;
  r.name = batch ? "orderExecute" : kNames[rng() % std::size(kNames)];
  const size_t n = batch ? 1 + rng() % kMaxRequestInstructions : 1;
  r.storage.clear();
  r.storage.reserve(n * 2 * 12);
  r.orders.assign(n, {});
  for (auto& order : r.orders) {
    const size_t params = rng() % 12;
    for (size_t i = 0; i < params; ++i) {
      std::string key = random_string(rng, kKeyChars, rng() % 4 == 0 ? kMaxTextKeyBytes : 8);
      if (key == "instruction" || key == "timestamp" || key == "window") continue;
      bool dup = false;
      for (const auto& p : order) dup = dup || p.key == key;
      if (dup) continue;
      r.storage.push_back(std::move(key));
      const std::string_view k = r.storage.back();
      r.storage.push_back(random_string(rng, kValueChars, rng() % 4 == 0 ? kMaxTextValueBytes : 10));
      order.push_back({k, r.storage.back()});
    }
  }
  r.timestamp_ms = rng() % 2 ? static_cast<int64_t>(1 + rng() % INT64_MAX) : 1'700'000'000'000 + static_cast<int64_t>(rng() % 1000);
  r.window_ms = 1 + static_cast<int64_t>(rng() % kMaxRequestWindowMs);
}

TEST(RequestText, RandomRequestsRoundTrip) {
  std::mt19937_64 rng(20240611);
  RandomRequest r;
  for (int i = 0; i < 2000; ++i) {
    make_random(rng, r);
    const std::string text = r.orders.size() == 1 ? build_request_text(r.name, r.orders[0], r.timestamp_ms, r.window_ms)
                                                  : build_batch_text(r.name, r.orders, r.timestamp_ms, r.window_ms);
    auto p = parse_request_text(text);
    ASSERT_TRUE(p.is_ok()) << text << ": " << p.status().to_string();
    ASSERT_EQ(p->instructions.size(), r.orders.size());
    EXPECT_EQ(p->timestamp_ms, r.timestamp_ms);
    EXPECT_EQ(p->window_ms, r.window_ms);
    for (size_t j = 0; j < r.orders.size(); ++j) {
      std::vector<TextParam> sorted = r.orders[j];
      std::sort(sorted.begin(), sorted.end(), [](const TextParam& a, const TextParam& b) { return a.key < b.key; });
      EXPECT_EQ(p->instructions[j].name, r.name);
      ASSERT_EQ(p->instructions[j].params, sorted) << text;
    }
    // And back: the parsed form builds the same text.
    std::vector<std::vector<TextParam>> again;
    for (const auto& in : p->instructions) again.push_back(in.params);
    EXPECT_EQ(build_batch_text(r.name, again, p->timestamp_ms, p->window_ms), text);
  }
}

// Every single-byte corruption of a valid text is either refused or yields another valid text that
// rebuilds to itself (the parser never accepts a text the builders would not produce).
TEST(RequestText, MutatedTextsParseOnlyWhenCanonical) {
  const std::string base = build_batch_text(
      "orderExecute", std::vector<std::vector<TextParam>>{{{"price", "1.5"}, {"side", "Bid"}}, {{"quantity", "2"}}}, 1700, 5000);
  const std::string_view alphabet = "=&a0Z._-\x00\xff "sv;
  for (size_t i = 0; i < base.size(); ++i) {
    for (char c : alphabet) {
      std::string t = base;
      t[i] = c;
      auto p = parse_request_text(t);
      if (!p) continue;
      std::vector<std::vector<TextParam>> orders;
      for (const auto& in : p->instructions) orders.push_back(in.params);
      EXPECT_EQ(build_batch_text(p->instructions[0].name, orders, p->timestamp_ms, p->window_ms), t);
    }
  }
}

}  // namespace
}  // namespace glassbook::engine
