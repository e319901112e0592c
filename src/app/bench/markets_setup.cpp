// Workload 3's setup (MarketsStream::setup in markets_stream.h): the role keys and synthetic account
// keys, registrations, deposits, the first oracle round and the pre-filled books.
#include <algorithm>
#include <cstring>
#include <string>

#include "app/bench/markets_stream.h"
#include "core/checked.h"

namespace glassbook::app {

using namespace engine;

namespace {

constexpr int64_t kUsdc = 1'000'000;
constexpr int64_t kQuoteDeposit = 50'000 * kUsdc;     // each account's USDC, and its USDT
constexpr int64_t kBaseDepositValue = 50'000 * kUsdc;  // what each of its base assets is worth
constexpr int64_t kFundCapital = 1'000'000 * kUsdc;
constexpr size_t kFlush = 1 << 16;  // setup commands handed to the sink at a time

}  // namespace

crypto::PublicKey MarketsStream::account_key(uint32_t index) {
  static constexpr char kLabel[] = "bench/markets/account";
  crypto::PublicKey k{};
  std::memcpy(k.data(), &index, sizeof index);
  std::memcpy(k.data() + sizeof index, kLabel, sizeof kLabel - 1);
  return k;
}

std::vector<crypto::PublicKey> MarketsStream::oracle_keys() {
  std::vector<crypto::PublicKey> keys;
  for (int i = 0; i < MarketsOracle::kSources; ++i)
    keys.push_back(crypto::KeyPair::from_seed(crypto::seed_from_label("bench/markets/oracle/" + std::to_string(i))).public_key());
  return keys;
}

crypto::PublicKey MarketsStream::watcher_key() {
  return crypto::KeyPair::from_seed(crypto::seed_from_label("bench/markets/watcher")).public_key();
}

void MarketsStream::setup(const Sink& sink) {
  std::vector<Command> buffer;
  buffer.reserve(kFlush);
  out_ = &buffer;
  auto flush = [&](size_t at_least) {
    if (buffer.size() < at_least) return;
    for (const Command& c : buffer) sink(c);
    buffer.clear();
  };
  now_ = start_;
  const uint32_t n = options_.accounts;
  for (uint32_t i = 0; i < n; ++i) {
    emit(account_key(i), RegisterAccount{account_key(i)});
    flush(kFlush);
  }

  // Every account holds USDC and USDT, base asset i % bases (so every base has traders) and one
  // more drawn by how busy each base's markets are; it trades in the markets of its base assets.
  std::vector<uint64_t> base_cumulative(x_.bases, 0);
  for (const auto& m : x_.markets) base_cumulative[m.base] += m.weight;
  for (uint32_t b = 1; b < x_.bases; ++b) base_cumulative[b] += base_cumulative[b - 1];
  uint64_t deposit_id = 0;
  emit(watcher_, Deposit{kInsuranceAccount, x_.usdc, kFundCapital, ++deposit_id});
  for (uint32_t i = 0; i < n; ++i) {
    const AccountId a = kFirstCustomer + i;
    emit(watcher_, Deposit{a, x_.usdc, kQuoteDeposit, ++deposit_id});
    emit(watcher_, Deposit{a, x_.usdt, kQuoteDeposit, ++deposit_id});
    const uint32_t first = i % x_.bases;
    const uint64_t r = rng_() % base_cumulative.back();
    const uint32_t second = static_cast<uint32_t>(std::upper_bound(base_cumulative.begin(), base_cumulative.end(), r) -
                                                  base_cumulative.begin());
    for (uint32_t b : {first, second}) {
      if (b == second && second == first) continue;
      traders_[b].push_back(i);
      const __int128 units = static_cast<__int128>(kBaseDepositValue) * pow10(x_.config.assets[b].decimals) / x_.start_price[b];
      emit(watcher_, Deposit{a, static_cast<AssetId>(b), static_cast<int64_t>(units), ++deposit_id});
    }
    flush(kFlush);
  }

  for (int s = 0; s < MarketsOracle::kSources; ++s) emit(sources_[s], oracle_.quotes(s));

  // Every book: resting orders over about 750 levels around the mid, none crossing.
  for (MarketId m = 0; m < x_.markets.size(); ++m) {
    for (uint32_t k = 0; k < options_.prefill_orders; ++k) {
      const book::Side side = k % 2 ? book::Side::Buy : book::Side::Sell;
      place_new(m, side, book::TimeInForce::GTC, resting_price(m, side, 375));
      flush(kFlush);
    }
  }
  flush(0);
  out_ = nullptr;
  mix_ = {};
}

}  // namespace glassbook::app
