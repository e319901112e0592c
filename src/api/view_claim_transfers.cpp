// The view's transfer-of-claim records and their JSON.
#include "api/view_claim_transfers.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <shared_mutex>

#include "api/exchange_view.h"
#include "core/decimal.h"

namespace glassbook::api {

void write_claim_transfer(JsonWriter& w, const engine::ExchangeConfig& config, const engine::ClaimTransfer& t) {
  const engine::MarketConfig& m = config.markets[t.market];
  const engine::AssetConfig& claim = config.assets[m.base];
  const engine::AssetConfig& quote = config.assets[m.quote];
  w.begin_object();
  w.key("seq").unsigned_integer(t.seq);
  w.key("timestamp").integer(t.timestamp);
  w.key("tradeId").unsigned_integer(t.trade_id);
  w.key("estate").unsigned_integer(t.estate);
  w.key("estateName").string(config.estates[t.estate].name);
  w.key("market").string(m.symbol);
  w.key("seller").unsigned_integer(t.seller);
  w.key("buyer").unsigned_integer(t.buyer);
  w.key("units").decimal(format_decimal(t.units, claim.decimals));
  w.key("price").decimal(format_decimal(t.price, quote.decimals));
  w.key("quoteAmount").decimal(format_decimal(t.quote_amount, quote.decimals));
  w.key("claimAsset").string(claim.symbol);
  w.key("quoteAsset").string(quote.symbol);
  w.key("takerSide").string(t.taker_side == book::Side::Buy ? "Bid" : "Ask");
  w.end_object();
}

void ViewClaimTransfers::add(const engine::ClaimTransfer& t) {
  records_.push_back(t);
  while (records_.size() > capacity_) {
    dropped_through_ = records_.front().seq;
    dropped_ = true;
    records_.pop_front();
  }
}

Result<std::string> ViewClaimTransfers::json(const engine::ExchangeConfig& config, uint64_t estate, SeqNo from, size_t limit) const {
  if (estate >= config.estates.size()) return Status(Error::InvalidArgument, fmt::format("unknown estate {}", estate));
  if (limit == 0 || limit > kMaxLimit) return Status(Error::InvalidArgument, fmt::format("limit must be within 1..{}", kMaxLimit));
  // Records of one seq are adjacent: the first at or after `from` by binary search.
  auto it = std::lower_bound(records_.begin(), records_.end(), from, [](const engine::ClaimTransfer& t, SeqNo s) { return t.seq < s; });
  JsonWriter w(256 + 320 * std::min<size_t>(limit, 64));
  w.begin_object();
  w.key("estate").unsigned_integer(estate);
  w.key("from").unsigned_integer(from);
  w.key("complete").boolean(!dropped_ || from > dropped_through_);
  w.key("transfers").begin_array();
  size_t written = 0;
  std::optional<SeqNo> next;
  for (; it != records_.end(); ++it) {
    if (written >= limit && it->seq != std::prev(it)->seq) {
      next = it->seq;
      break;
    }
    if (it->estate != estate) continue;
    write_claim_transfer(w, config, *it);
    ++written;
  }
  w.end_array();
  // Without more records yet, the next answer starts after the newest one seen.
  if (!next && !records_.empty()) next = std::max(from, records_.back().seq + 1);
  w.key("next");
  if (next) w.unsigned_integer(*next);
  else w.null();
  w.end_object();
  return w.take();
}

Result<std::string> ExchangeView::claim_transfers(uint64_t estate, SeqNo from, size_t limit) const {
  std::shared_lock lock(mutex_);
  return claim_transfers_.json(*config_, estate, from, limit);
}

}  // namespace glassbook::api
