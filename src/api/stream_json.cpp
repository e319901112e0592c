// Backpack WebSocket payloads.
#include "api/stream_json.h"

#include "api/backpack_names.h"
#include "api/iso_time.h"
#include "core/decimal.h"

namespace glassbook::api {

namespace {
JsonWriter begin(std::string_view event, const MarketView& m, Timestamp ts) {
  JsonWriter w(256);
  w.begin_object();
  w.key("e").string(event);
  w.key("E").integer(ts);
  w.key("s").string(m.symbol());
  return w;
}
}  // namespace

std::string stream_frame(std::string_view stream, std::string_view data) {
  std::string out;
  out.reserve(stream.size() + data.size() + 24);
  out += "{\"stream\":\"";
  append_json_escaped(out, stream);
  out += "\",\"data\":";
  out += data;
  out += '}';
  return out;
}

std::string trade_event(const MarketView& m, const PublicTrade& t) {
  JsonWriter w = begin("trade", m, t.timestamp);
  w.key("p").decimal(m.format.price(t.price));
  w.key("q").decimal(m.format.quantity(t.quantity));
  w.key("b").string(std::to_string(t.buyer_order));
  w.key("a").string(std::to_string(t.seller_order));
  w.key("t").unsigned_integer(t.id);
  w.key("T").integer(t.timestamp);
  w.key("m").boolean(t.buyer_maker);
  w.end_object();
  return w.take();
}

std::string depth_event(const MarketView& m, std::span<const std::pair<int64_t, int64_t>> asks,
                        std::span<const std::pair<int64_t, int64_t>> bids, uint64_t update_id, Timestamp ts) {
  JsonWriter w = begin("depth", m, ts);
  auto side = [&](std::string_view key, std::span<const std::pair<int64_t, int64_t>> levels) {
    w.key(key).begin_array();
    for (const auto& [price, qty] : levels) w.begin_array().decimal(m.format.price(price)).decimal(m.format.quantity(qty)).end_array();
    w.end_array();
  };
  side("a", asks);
  side("b", bids);
  w.key("U").unsigned_integer(update_id);
  w.key("u").unsigned_integer(update_id);
  w.key("T").integer(ts);
  w.end_object();
  return w.take();
}

std::string book_ticker_event(const MarketView& m, const TopOfBook& top, uint64_t update_id, Timestamp ts) {
  JsonWriter w = begin("bookTicker", m, ts);
  auto level = [&](std::string_view pk, int64_t price, std::string_view qk, int64_t qty) {
    w.key(pk);
    if (price == 0) {
      w.null();
    } else {
      w.decimal(m.format.price(price));
    }
    w.key(qk).decimal(m.format.quantity(qty));
  };
  level("a", top.ask, "A", top.ask_quantity);
  level("b", top.bid, "B", top.bid_quantity);
  w.key("u").unsigned_integer(update_id);
  w.key("T").integer(ts);
  w.end_object();
  return w.take();
}

std::string ticker_event(const MarketView& m, const Ticker24h& t, Timestamp ts) {
  JsonWriter w = begin("ticker", m, ts);
  w.key("o").decimal(m.format.price(t.first));
  w.key("c").decimal(m.format.price(t.last));
  w.key("h").decimal(m.format.price(t.high));
  w.key("l").decimal(m.format.price(t.low));
  w.key("v").decimal(m.format.base_amount(t.volume));
  w.key("V").decimal(m.format.quote_amount(t.quote_volume));
  w.key("n").unsigned_integer(t.trades);
  w.end_object();
  return w.take();
}

std::string kline_event(const MarketView& m, KlineInterval interval, const Candle& c, Timestamp ts) {
  JsonWriter w = begin("kline", m, ts);
  w.key("t").string(iso_seconds(c.start));
  w.key("T").string(iso_seconds(kline_bucket(interval, c.start).end));
  w.key("o").decimal(m.format.price(c.open));
  w.key("c").decimal(m.format.price(c.close));
  w.key("h").decimal(m.format.price(c.high));
  w.key("l").decimal(m.format.price(c.low));
  w.key("v").decimal(m.format.base_amount(c.volume));
  w.key("n").unsigned_integer(c.trades);
  w.key("X").boolean(false);
  w.end_object();
  return w.take();
}

std::string order_event(const MarketView& m, std::string_view kind, const OrderRecord& o, Timestamp ts,
                        const FillDetail* fill) {
  JsonWriter w = begin(kind, m, ts);
  if (o.client_id != 0) w.key("c").unsigned_integer(o.client_id);
  w.key("S").string(side_name(o.side));
  w.key("o").string(stream_order_type_name(o.type));
  w.key("f").string(tif_name(o.tif));
  w.key("q").decimal(m.format.quantity(o.quantity));
  if (o.type == engine::OrderType::Limit) w.key("p").decimal(m.format.price(o.price));
  if (o.trigger_price != 0) {
    w.key("P").decimal(m.format.price(o.trigger_price));
    w.key("B").string(trigger_by_name(o.trigger_by));
  }
  w.key("X").string(status_name(o.status));
  if (o.status == OrderStatus::Expired) w.key("R").string(expiry_reason_name(o.cause));
  w.key("i").string(std::to_string(o.id));
  if (fill != nullptr) {
    w.key("t").unsigned_integer(fill->trade_id);
    w.key("l").decimal(m.format.quantity(fill->quantity));
    w.key("L").decimal(m.format.price(fill->price));
    w.key("m").boolean(fill->maker);
    w.key("n").decimal(format_decimal(fill->fee, m.config.assets[fill->fee_asset].decimals, true));
    w.key("N").string(m.config.assets[fill->fee_asset].symbol);
  }
  w.key("z").decimal(m.format.quantity(o.executed));
  w.key("Z").decimal(m.format.quote_amount(o.executed_quote));
  w.key("V").string(stp_name(o.stp));
  w.key("T").integer(ts);
  w.key("O").string("USER");
  w.key("r").boolean(false);
  w.key("y").boolean(o.tif == book::TimeInForce::PostOnly);
  w.end_object();
  return w.take();
}

}  // namespace glassbook::api
