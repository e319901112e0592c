// Everything a user can ask a view about the first 64 accounts and the given markets, as one string to compare.
#pragma once
#include <initializer_list>
#include <string>

#include "api/exchange_view.h"

namespace glassbook::api::testing {

inline std::string view_answers(const ExchangeView& v, std::initializer_list<const char*> symbols) {
  std::string out = v.tickers() + v.markets();
  for (const char* symbol : symbols) {
    out += v.depth(symbol, 1000).value() + v.trades(symbol, 1000).value() + v.klines(symbol, "1m", 0, 0).value();
  }
  for (AccountId a = 0; a < 64; ++a) {
    out += v.capital(a) + v.open_orders(a, "") + v.order_history(a, "", 1000, 0) + v.fills(a, "", 1000, 0) + v.deposits(a, 1000, 0);
  }
  return out;
}

}  // namespace glassbook::api::testing
