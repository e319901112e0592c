// The risk state's canonical bytes, shared by snapshots and the state root: oracle samples,
// circuit breakers, perpetual funding and basis state, and every position entry.
#include <fmt/format.h>

#include "engine/engine.h"

namespace glassbook::engine {

namespace {

template <class V, class S>
void sample_fields(V& v, S& s) {
  v.i64(s.value);
  v.i64(s.time);
  v.boolean(s.present);
}

template <class V, class C>
void clock_fields(V& v, C& c) {
  v.i64(c.value);
  v.i64(c.at);
  v.boolean(c.present);
}

template <class V, class P>
void perp_fields(V& v, P& p) {
  v.i64(p.basis.value);
  v.boolean(p.basis.started);
  uint64_t low = static_cast<uint64_t>(p.premium.sum);
  uint64_t high = static_cast<uint64_t>(p.premium.sum >> 64);
  v.u64(low);
  v.u64(high);
  if constexpr (V::kReading) p.premium.sum = static_cast<__int128>((static_cast<unsigned __int128>(high) << 64) | low);
  v.i64(p.premium.count);
  v.i64(p.next_funding);
  v.i64(p.last_funding_rate);
}

template <class V, class P>
void position_fields(V& v, P& p) {
  v.u16(p.market);
  v.i64(p.lots);
  v.i64(p.cost);
  v.i64(p.open_buy);
  v.i64(p.open_sell);
}

}  // namespace

// Layout: u32 assets, u32 sources, then assets x sources samples (i64 value, i64 time, u8 present);
// per market its circuit breaker, and for a perpetual its funding state; then u32 accounts with
// position entries, each u32 account, u32 n and n positions in market order.
void Engine::write_risk(ByteWriter& w) const {
  write_risk_markets(w);
  uint32_t accounts = 0;
  for (const MarginAccount& acc : margin_) accounts += acc.positions.empty() ? 0 : 1;
  w.u32(accounts);
  for (AccountId a = 0; a < margin_.size(); ++a) {
    const auto& positions = margin_[a].positions;
    if (positions.empty()) continue;
    w.u32(a);
    w.u32(static_cast<uint32_t>(positions.size()));
    for (const PerpPosition& p : positions) position_fields(w, p);
  }
}

// The part of write_risk before the positions: bounded by assets, sources and markets.
void Engine::write_risk_markets(ByteWriter& w) const {
  w.u32(static_cast<uint32_t>(oracle_.size()));
  w.u32(static_cast<uint32_t>(config_.oracle_sources.keys.size()));
  for (const auto& per_asset : oracle_)
    for (const auto& s : per_asset) sample_fields(w, s);
  for (const Market& m : markets_) {
    risk::CircuitBreaker breaker = m.breaker;  // fields() is one list for reading and writing
    breaker.fields(w);
    if (m.is_perp()) perp_fields(w, m.perp);
  }
}

// One account's positions as the state root's account bucket holds them: u32 n, then n positions.
void Engine::write_positions(ByteWriter& w, AccountId a) const {
  const size_t n = a < margin_.size() ? margin_[a].positions.size() : 0;
  w.u32(static_cast<uint32_t>(n));
  for (size_t i = 0; i < n; ++i) position_fields(w, margin_[a].positions[i]);
}

Status Engine::read_risk(ByteReader& r) {
  auto bad = [](std::string why) { return Status(Error::Corruption, "risk: " + std::move(why)); };
  uint32_t assets = 0, sources = 0;
  r.u32(assets);
  r.u32(sources);
  if (!r.ok()) return bad(r.status(false).message());
  if (assets != config_.assets.size() || sources != config_.oracle_sources.keys.size())
    return bad(fmt::format("{} x {} oracle samples for {} assets and {} sources", assets, sources, config_.assets.size(),
                           config_.oracle_sources.keys.size()));
  for (auto& per_asset : oracle_)
    for (auto& s : per_asset) {
      sample_fields(r, s);
      if (r.ok() && (s.present ? s.value <= 0 : (s.value != 0 || s.time != 0))) return bad("an oracle sample out of range");
    }
  for (Market& m : markets_) {
    m.breaker.fields(r);
    if (m.is_perp()) perp_fields(r, m.perp);
    if (!r.ok()) return bad(r.status(false).message());
    if (m.is_perp() && (m.perp.premium.count < 0 || m.perp.next_funding < 0)) return bad("funding state out of range");
  }
  uint32_t accounts = 0;
  r.u32(accounts);
  if (!r.ok()) return bad(r.status(false).message());
  if (accounts > margin_.size()) return bad(fmt::format("{} accounts with positions of {}", accounts, margin_.size()));
  AccountId previous = 0;
  for (uint32_t i = 0; i < accounts; ++i) {
    AccountId a = 0;
    uint32_t n = 0;
    r.u32(a);
    r.u32(n);
    if (!r.ok()) return bad(r.status(false).message());
    if (a >= margin_.size() || (i > 0 && a <= previous)) return bad(fmt::format("account {} out of order or unknown", a));
    if (n == 0 || n > markets_.size()) return bad(fmt::format("account {}: {} positions", a, n));
    previous = a;
    auto& positions = margin_[a].positions;
    positions.resize(n);
    for (PerpPosition& p : positions) position_fields(r, p);
    if (!r.ok()) return bad(r.status(false).message());
    for (const PerpPosition& p : positions)
      if (p.open_buy < 0 || p.open_sell < 0) return bad(fmt::format("account {}: negative open lots", a));
  }
  return {};
}

// Layout (snapshot v5, after the requests section): per market its circuit breaker's trade batch
// (CircuitBreaker::batch_fields), and for a perpetual the standing basis and premium samples
// (i64 value, i64 time, u8 present each).
void Engine::write_risk_samples(ByteWriter& w) const {
  for (const Market& m : markets_) {
    risk::CircuitBreaker breaker = m.breaker;  // batch_fields() is one list for reading and writing
    breaker.batch_fields(w);
    if (!m.is_perp()) continue;
    risk::ClockSample basis = m.perp.basis_now, premium = m.perp.premium_now;
    clock_fields(w, basis);
    clock_fields(w, premium);
  }
}

Status Engine::read_risk_samples(ByteReader& r) {
  for (Market& m : markets_) {
    m.breaker.batch_fields(r);
    if (m.is_perp()) {
      clock_fields(r, m.perp.basis_now);
      clock_fields(r, m.perp.premium_now);
    }
    if (!r.ok()) return Status(Error::Corruption, "risk samples: " + r.status(false).message());
    if (m.is_perp())
      for (const risk::ClockSample& c : {m.perp.basis_now, m.perp.premium_now})
        if (c.at < 0 || (!c.present && c.value != 0)) return Status(Error::Corruption, "risk samples: a standing sample out of range");
  }
  return {};
}

}  // namespace glassbook::engine
