// Claims trading: who may trade an estate's claim market (KYC, the estate's transfer rules), the
// resting orders whose owners no longer may, and the transfer-of-claim record of every fill.
#include <fmt/format.h>

#include <algorithm>

#include "engine/engine.h"

namespace glassbook::engine {

std::optional<size_t> Engine::claim_estate(MarketId mid) const {
  if (config_.estates.empty()) return std::nullopt;  // the common case costs one test
  return estate_of_claim_asset(config_, markets_[mid].cfg.base);
}

Status Engine::check_claim_order(size_t estate, AccountId account, book::Side side, Timestamp now) const {
  // While a distribution round is paid its holdings are frozen (engine_distributions.cpp): an order
  // could fill and move units between chunks, so the market takes only cancels until it completes.
  if (distribution_freezes_units(estate))
    return Status(Error::MarketPaused, fmt::format("estate '{}' is paying distribution round {}: its claim market accepts only cancels until "
                                                   "the round is paid",
                                                   config_.estates[estate].name, distributions_.estate(estate).open_round()->id));
  return check_claim_trader(estate, account, side, now);
}

Status Engine::check_claim_trader(size_t estate, AccountId account, book::Side side, Timestamp now) const {
  const EstateConfig& cfg = config_.estates[estate];
  const EstateClaims& e = claims_.estate(estate);
  auto it = e.kyc.find(account);
  if (it == e.kyc.end())
    return Status(Error::KycMissing, fmt::format("account {} has no KYC attestation for estate '{}': its claims trade only between "
                                                 "accounts one of its KYC providers attested",
                                                 account, cfg.name));
  const KycRecord& kyc = it->second;
  if (!kyc.valid_at(now))
    return Status(Error::KycExpired, fmt::format("account {}'s KYC attestation for estate '{}' expired at {} µs (now {} µs)", account,
                                                 cfg.name, kyc.expires_at, now));
  if (side == book::Side::Sell) return {};  // selling acquires no claim: the transfer rules judge buyers
  const TransferRules& rules = cfg.transfer_rules;
  if (kyc.level < rules.min_kyc_level)
    return Status(Error::KycLevelTooLow, fmt::format("account {}'s KYC level {} is below {}, the minimum estate '{}' sets for buyers of its "
                                                     "claims",
                                                     account, kyc.level, rules.min_kyc_level, cfg.name));
  if (std::binary_search(rules.barred_buyer_jurisdictions.begin(), rules.barred_buyer_jurisdictions.end(), kyc.jurisdiction))
    return Status(Error::BuyerJurisdictionBarred,
                  fmt::format("estate '{}' bars buyers of its claims in {}, account {}'s jurisdiction", cfg.name, kyc.jurisdiction, account));
  return {};
}

void Engine::cancel_ineligible_claim_makers(const Command& c, MarketId mid, size_t estate, AccountId taker, book::Side side,
                                            book::Ticks limit, book::Lots lots) {
  Market& m = markets_[mid];
  const book::Side maker_side = book::opposite(side);
  const book::Ticks best = m.book->best(maker_side);
  if (best == 0 || (side == book::Side::Buy ? best > limit : best < limit)) return;  // nothing crosses
  // The makers the order would meet, in priority order, until the eligible ones cover it: each is
  // judged as it would trade (a resting bid buys). The taker's own orders fill nothing (self-trade
  // prevention decides), so they do not count toward the cover.
  std::vector<OrderId> ineligible;
  book::Lots left = lots;
  m.book->for_each_order_while(maker_side, [&](const book::Order& o) {
    if (side == book::Side::Buy ? o.price > limit : o.price < limit) return false;
    if (!check_claim_trader(estate, o.account, maker_side, c.timestamp)) {
      ineligible.push_back(o.id);
      return true;
    }
    if (o.account == taker) return true;
    left -= std::min(left, o.remaining);
    return left > 0;
  });
  if (ineligible.empty()) return;
  const CancelCause cause = cancel_cause_;
  cancel_cause_ = CancelCause::ClaimIneligible;
  for (OrderId id : ineligible) {
    book_events_.clear();
    if (m.book->cancel(id, book_events_) == book::Reject::None) settle(c, mid, Taker{taker, maker_side, 0, 0});
  }
  cancel_cause_ = cause;
}

void Engine::eligible_claim_levels(const Command& c, MarketId mid, size_t estate, book::Side resting,
                                   std::vector<book::OrderBook::Level>& out) const {
  out.clear();
  // Every resting order of the side (at most the book's max_orders): only market orders in a claim
  // market walk it, and claim books are small.
  markets_[mid].book->for_each_order_while(resting, [&](const book::Order& o) {
    if (!check_claim_trader(estate, o.account, resting, c.timestamp)) return true;
    if (out.empty() || out.back().price != o.price) out.push_back(book::OrderBook::Level{o.price, 0, 0});
    out.back().qty += o.remaining;
    out.back().orders += 1;
    return true;
  });
}

void Engine::record_claim_transfer(const Command& c, MarketId mid, const book::Event& be) {
  const std::optional<size_t> estate = claim_estate(mid);
  if (!estate) return;
  // A distribution's record point may not precede this (the record's seq and time are the command's:
  // readers take them from it).
  note_claim_units_moved(*estate, c.seq);
  const Market& m = markets_[mid];
  const bool taker_buys = be.side == book::Side::Buy;
  Event r;
  r.kind = EventKind::ClaimTransferred;
  r.market = mid;
  r.client_id = static_cast<uint32_t>(*estate);
  r.asset = m.cfg.base;
  r.account = taker_buys ? be.account : be.maker_account;
  r.maker_account = taker_buys ? be.maker_account : be.account;
  r.side = be.side;
  r.quantity = be.qty * m.cfg.lot_size;
  r.price = be.price * m.cfg.tick_size;
  r.remaining = be.price * be.qty * m.scale.notional_per_tick_lot;  // bounded by the buyer's hold
  r.order_id = m.stats.trades;  // record_trade has just counted this trade
  events_.push_back(r);
}

}  // namespace glassbook::engine
