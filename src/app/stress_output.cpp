// Renders stress reports as text tables and as JSON.
#include "app/stress_output.h"

#include <fmt/format.h>

#include "api/json_writer.h"
#include "core/decimal.h"
#include "crypto/sha256.h"
#include "stress/shock_text.h"

namespace glassbook::app {

namespace {

using stress::StressReport;

int margin_decimals(const engine::ExchangeConfig& c) {
  return c.risk.margin_asset < c.assets.size() ? c.assets[c.risk.margin_asset].decimals : 0;
}

std::string margin_symbol(const engine::ExchangeConfig& c) {
  return c.risk.margin_asset < c.assets.size() ? c.assets[c.risk.margin_asset].symbol : "";
}

std::string amount(int64_t v, const engine::ExchangeConfig& c) { return format_decimal(v, margin_decimals(c), true); }

std::string signed_amount(int64_t v, const engine::ExchangeConfig& c) { return fmt::format("{}{}", v > 0 ? "+" : "", amount(v, c)); }

std::string ids(const std::vector<AccountId>& accounts) {
  std::string out;
  for (AccountId a : accounts) out += fmt::format("{}{}", out.empty() ? "" : " ", a);
  return out.empty() ? "none" : out;
}

std::string move_value(const stress::AssetMoveReport& m, const engine::ExchangeConfig& c) {
  return m.rate ? fmt::format("{} -> {}", format_decimal(m.before, 9, true), format_decimal(m.after, 9, true))
                : fmt::format("{} -> {}", amount(m.before, c), amount(m.after, c));
}

void write_report(api::JsonWriter& w, const StressReport& r, const engine::ExchangeConfig& c) {
  auto money = [&](std::string_view key, int64_t v) { w.key(key).decimal(amount(v, c)); };
  auto accounts = [&](std::string_view key, const std::vector<AccountId>& v) {
    w.key(key).begin_array();
    for (AccountId a : v) w.unsigned_integer(a);
    w.end_array();
  };
  w.begin_object();
  w.key("shock").string(r.description);
  w.key("margin_asset").string(margin_symbol(c));
  w.key("moves").begin_array();
  for (const auto& m : r.moves) {
    w.begin_object().key("asset").string(c.assets[m.asset].symbol).key("kind").string(m.rate ? "redemption_rate" : "index");
    if (m.rate) {
      w.key("before").decimal(format_decimal(m.before, 9, true)).key("after").decimal(format_decimal(m.after, 9, true));
    } else {
      money("before", m.before);
      money("after", m.after);
    }
    w.end_object();
  }
  w.end_array();
  w.key("marks").begin_array();
  for (const auto& m : r.marks) {
    w.begin_object().key("market").string(c.markets[m.market].symbol);
    money("before", m.before);
    money("after", m.after);
    w.end_object();
  }
  w.end_array();
  w.key("oracle_updates").unsigned_integer(r.commands.size());
  w.key("events").unsigned_integer(r.events);
  accounts("liquidated", r.liquidated);
  w.key("liquidations").unsigned_integer(r.liquidations);
  w.key("orders_cancelled").unsigned_integer(r.orders_cancelled);
  w.key("book").begin_object().key("fills").unsigned_integer(r.book_fills).key("quantity").integer(r.book_quantity);
  money("notional", r.book_notional);
  w.end_object();
  w.key("insurance_fund").begin_object().key("takeovers").unsigned_integer(r.fund_takeovers);
  w.key("takeover_quantity").integer(r.fund_takeover_quantity);
  money("takeover_notional", r.fund_takeover_notional);
  money("balance_before", r.fund_balance_before);
  money("balance_after", r.fund_balance_after);
  money("equity_before", r.fund_equity_before);
  money("equity_after", r.fund_equity_after);
  w.key("positions_before").integer(r.fund_positions_before).key("positions_after").integer(r.fund_positions_after);
  w.end_object();
  w.key("adl").begin_object().key("events").unsigned_integer(r.adl_events);
  accounts("counterparties", r.adl_counterparties);
  w.key("quantity").integer(r.adl_quantity);
  money("notional", r.adl_notional);
  w.end_object();
  w.key("bad_debt").begin_object().key("events").unsigned_integer(r.bad_debt_events);
  money("amount", r.bad_debt);
  w.end_object();
  w.key("negative_equity").begin_array();
  for (const auto& n : r.negative_equity) {
    w.begin_object().key("account").unsigned_integer(n.account);
    money("equity", n.equity);
    w.key("has_positions").boolean(n.has_positions).end_object();
  }
  w.end_array();
  w.key("cover2").begin_object().key("groups").begin_array();
  for (const auto& g : r.largest_group_losses) {
    w.begin_object().key("name").string(g.name);
    accounts("accounts", g.accounts);
    money("loss", g.loss);
    w.end_object();
  }
  w.end_array();
  money("total", r.cover2);
  w.key("covered_by_fund").boolean(r.cover2_covered).end_object();
  w.key("funding_payments").unsigned_integer(r.funding_payments);
  w.key("state_root_before").string(crypto::to_hex(r.state_root_before));
  w.key("state_root_after").string(crypto::to_hex(r.state_root_after));
  w.key("invariants").string(r.invariant_violation.empty() ? "hold" : r.invariant_violation);
  w.end_object();
}

}  // namespace

std::string stress_table(const StressReport& r, const engine::ExchangeConfig& c) {
  const std::string sym = margin_symbol(c);
  std::string out = fmt::format("stress: {}\n", r.description);
  for (const auto& m : r.moves)
    out += fmt::format("  {:<16}{} {}{}\n", "moves", c.assets[m.asset].symbol, move_value(m, c), m.rate ? " (redemption rate)" : "");
  for (const auto& m : r.marks)
    out += fmt::format("  {:<16}{} {} -> {}\n", "mark", c.markets[m.market].symbol, amount(m.before, c), amount(m.after, c));
  out += fmt::format("  {:<16}{} accounts ({} liquidations): {}\n", "liquidated", r.liquidated.size(), r.liquidations, ids(r.liquidated));
  out += fmt::format("  {:<16}{} orders cancelled by liquidation\n", "", r.orders_cancelled);
  out += fmt::format("  {:<16}{} fills, notional {} {}\n", "book", r.book_fills, amount(r.book_notional, c), sym);
  out += fmt::format("  {:<16}{} takeovers, notional {} {} at bankruptcy prices\n", "insurance fund", r.fund_takeovers,
                     amount(r.fund_takeover_notional, c), sym);
  out += fmt::format("  {:<16}balance {} -> {} {} ({}), equity {} -> {}, positions {} -> {}\n", "", amount(r.fund_balance_before, c),
                     amount(r.fund_balance_after, c), sym, signed_amount(r.fund_balance_after - r.fund_balance_before, c),
                     amount(r.fund_equity_before, c), amount(r.fund_equity_after, c), r.fund_positions_before, r.fund_positions_after);
  out += fmt::format("  {:<16}{} closings against {} accounts ({}), notional {} {}\n", "ADL", r.adl_events, r.adl_counterparties.size(),
                     ids(r.adl_counterparties), amount(r.adl_notional, c), sym);
  out += fmt::format("  {:<16}{} {} paid by the fund for {} accounts\n", "bad debt", amount(r.bad_debt, c), sym, r.bad_debt_events);
  if (r.negative_equity.empty()) {
    out += fmt::format("  {:<16}none left below zero\n", "negative equity");
  } else {
    for (const auto& n : r.negative_equity)
      out += fmt::format("  {:<16}account {}: {} {}{}\n", "NEGATIVE EQUITY", n.account, amount(n.equity, c), sym,
                         n.has_positions ? " (positions still open)" : "");
  }
  std::string groups;
  for (const auto& g : r.largest_group_losses)
    groups += fmt::format("{}{} {}", groups.empty() ? "" : " + ", g.name, amount(g.loss, c));
  out += fmt::format("  {:<16}{}{} {}: {} by the fund's equity of {}\n", "cover 2", groups.empty() ? std::string("no group loses ") : fmt::format("{} = ", groups),
                     amount(r.cover2, c), sym, r.cover2_covered ? "covered" : "NOT COVERED", amount(r.fund_equity_before, c));
  out += fmt::format("  {:<16}{} from {} oracle updates, {} funding payments\n", "events", r.events, r.commands.size(), r.funding_payments);
  out += fmt::format("  {:<16}{} -> {}\n", "state root", crypto::to_hex(r.state_root_before), crypto::to_hex(r.state_root_after));
  out += fmt::format("  {:<16}{}\n", "invariants", r.invariant_violation.empty() ? "hold" : r.invariant_violation);
  return out;
}

std::string stress_grid_table(std::span<const StressReport> reports, const engine::ExchangeConfig& c) {
  std::string out = fmt::format("amounts in {}\n{:>8} {:>10} {:>7} {:>16} {:>9} {:>16} {:>6} {:>14} {:>16} {:>16}  {}\n",
                                margin_symbol(c), "shock", "liquidated", "fills", "book notional", "fund took", "fund change",
                                "ADL", "bad debt", "fund equity", "cover 2", "covered");
  for (const auto& r : reports) {
    const std::string shock = r.shock.moves.empty() ? "" : stress::percent_text(r.shock.moves.front().ppm);
    out += fmt::format("{:>8} {:>10} {:>7} {:>16} {:>9} {:>16} {:>6} {:>14} {:>16} {:>16}  {}\n", shock, r.liquidated.size(),
                       r.book_fills, amount(r.book_notional, c), r.fund_takeovers,
                       signed_amount(r.fund_balance_after - r.fund_balance_before, c), r.adl_events, amount(r.bad_debt, c),
                       amount(r.fund_equity_after, c), amount(r.cover2, c), r.cover2_covered ? "yes" : "NO");
  }
  for (const auto& r : reports)
    if (!r.negative_equity.empty() || !r.invariant_violation.empty())
      out += fmt::format("WARNING {}: {} accounts left with negative equity; invariants: {}\n", r.description, r.negative_equity.size(),
                         r.invariant_violation.empty() ? "hold" : r.invariant_violation);
  return out;
}

std::string stress_json(const StressReport& r, const engine::ExchangeConfig& c) {
  api::JsonWriter w;
  write_report(w, r, c);
  return w.take() + "\n";
}

std::string stress_grid_json(std::span<const StressReport> reports, const engine::ExchangeConfig& c) {
  api::JsonWriter w;
  w.begin_object().key("grid").begin_array();
  for (const auto& r : reports) write_report(w, r, c);
  w.end_array().end_object();
  return w.take() + "\n";
}

}  // namespace glassbook::app
