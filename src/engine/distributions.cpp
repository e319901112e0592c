// The distributions' snapshot encoding and their own consistency check.
#include "engine/distributions.h"

#include <fmt/format.h>

#include "core/checked.h"

namespace glassbook::engine {

namespace {

template <class V, class R>
void round_fields(V& v, R& r) {
  v.u32(r.id);
  v.u16(r.asset);
  v.u32(r.account);
  v.u64(r.rate_numerator);
  v.u64(r.rate_denominator);
  v.u64(r.record_seq);
  v.u64(r.declared_seq);
  v.i64(r.units);
  v.i64(r.funded);
  v.i64(r.paid);
  v.i64(r.escrowed);
  v.i64(r.remainder);
  v.i64(r.units_visited);
  v.u64(r.holders);
  v.u64(r.holders_paid);
  v.u64(r.holders_escrowed);
  v.u32(r.next_account);
  v.u32(r.end_account);
  v.boolean(r.complete);
}

Status check_round(size_t estate, size_t index, const DistributionRound& r, bool last) {
  auto bad = [&](std::string_view why) {
    return Status(Error::InvalidArgument, fmt::format("distributions: estate {} round {}: {}", estate, r.id, why));
  };
  if (r.id != index + 1) return bad(fmt::format("numbered {} at position {}", r.id, index + 1));
  if (r.rate_numerator == 0 || r.rate_denominator == 0) return bad("a zero rate term");
  if (r.units <= 0 || r.funded <= 0 || r.paid < 0 || r.escrowed < 0 || r.remainder < 0 || r.units_visited < 0)
    return bad("a negative amount, or nothing funded");
  if (r.record_seq > r.declared_seq) return bad("recorded after its declaration");
  if (static_cast<unsigned __int128>(r.units) * r.rate_numerator / r.rate_denominator != static_cast<unsigned __int128>(r.funded))
    return bad(fmt::format("funded {} is not floor({} units × {}/{})", r.funded, r.units, r.rate_numerator, r.rate_denominator));
  const __int128 spent = static_cast<__int128>(r.paid) + r.escrowed;
  if (spent > r.funded) return bad(fmt::format("paid {} and escrowed {} exceed its funding {}", r.paid, r.escrowed, r.funded));
  if (r.units_visited > r.units) return bad("visited more units than it recorded");
  if (r.holders_paid > r.holders || r.holders_escrowed > r.holders) return bad("more holders paid than visited");
  if (r.next_account < kFirstCustomer || r.next_account > r.end_account) return bad("its next account is out of range");
  if (r.complete) {
    if (spent + r.remainder != r.funded)
      return bad(fmt::format("paid {} + escrowed {} + remainder {} is not its funding {}", r.paid, r.escrowed, r.remainder, r.funded));
    if (r.units_visited != r.units || r.next_account != r.end_account) return bad("complete before visiting every holder");
  } else {
    if (!last) return bad("open while a later round exists");
    if (r.remainder != 0) return bad("a remainder before it completed");
  }
  return {};
}

}  // namespace

bool Distributions::empty() const {
  for (const EstateDistributions& e : estates_)
    if (!e.rounds.empty() || !e.escrow.empty() || e.units_moved_at != 0) return false;
  return true;
}

void Distributions::write(ByteWriter& w) const {
  w.u32(static_cast<uint32_t>(estates_.size()));
  for (const EstateDistributions& e : estates_) {
    w.u64(e.units_moved_at);
    w.u32(static_cast<uint32_t>(e.rounds.size()));
    for (const DistributionRound& r : e.rounds) round_fields(w, r);
    w.u64(e.escrow.size());
    for (const auto& [key, amount] : e.escrow) {
      w.u32(escrow_account_of(key));
      w.u16(escrow_asset_of(key));
      w.i64(amount);
    }
  }
}

Status Distributions::read(ByteReader& r, size_t estates, size_t assets) {
  auto bad = [](std::string why) { return Status(Error::Corruption, "distributions: " + std::move(why)); };
  uint32_t n = 0;
  r.u32(n);
  if (!r.ok()) return r.status(false);
  if (n != estates) return bad(fmt::format("{} estates for {} configured", n, estates));
  estates_.assign(n, EstateDistributions{});
  for (uint32_t i = 0; i < n; ++i) {
    EstateDistributions& e = estates_[i];
    uint32_t rounds = 0;
    r.u64(e.units_moved_at);
    r.u32(rounds);
    if (!r.ok()) return r.status(false);
    if (rounds > kMaxRoundsPerEstate) return bad(fmt::format("estate {}: {} rounds", i, rounds));
    for (uint32_t k = 0; k < rounds; ++k) {
      DistributionRound round;
      round_fields(r, round);
      if (!r.ok()) return r.status(false);
      if (round.asset >= assets) return bad(fmt::format("estate {} round {}: unknown asset {}", i, round.id, round.asset));
      e.rounds.push_back(round);
    }
    uint64_t entries = 0;
    r.u64(entries);
    if (!r.ok()) return r.status(false);
    if (entries > kMaxEscrowPerEstate) return bad(fmt::format("estate {}: {} escrow entries", i, entries));
    for (uint64_t k = 0; k < entries; ++k) {
      AccountId account = 0;
      AssetId asset = 0;
      int64_t amount = 0;
      r.u32(account);
      r.u16(asset);
      r.i64(amount);
      if (!r.ok()) return r.status(false);
      const uint64_t key = escrow_key(account, asset);
      if (!is_customer(account) || asset >= assets || amount <= 0)
        return bad(fmt::format("estate {}: escrow of account {} asset {} out of range", i, account, asset));
      if (!e.escrow.empty() && key <= e.escrow.rbegin()->first) return bad(fmt::format("estate {}: escrow entries not increasing", i));
      auto total = checked_add(e.escrow_total[asset], amount);
      if (!total) return bad(fmt::format("estate {}: escrow total of asset {} overflows", i, asset));
      e.escrow_total[asset] = *total;
      e.escrow.emplace_hint(e.escrow.end(), key, amount);
    }
  }
  if (auto s = check(); !s) return bad(s.message());
  return {};
}

Status Distributions::check() const {
  for (size_t i = 0; i < estates_.size(); ++i) {
    const EstateDistributions& e = estates_[i];
    for (size_t k = 0; k < e.rounds.size(); ++k)
      if (auto s = check_round(i, k, e.rounds[k], k + 1 == e.rounds.size()); !s) return s;
    std::map<AssetId, __int128> sums;
    for (const auto& [key, amount] : e.escrow) {
      if (amount <= 0) return Status(Error::InvalidArgument, fmt::format("distributions: estate {}: an empty escrow entry", i));
      sums[escrow_asset_of(key)] += amount;
    }
    for (const auto& [asset, total] : e.escrow_total) {
      const __int128 sum = sums.contains(asset) ? sums[asset] : 0;
      if (sum != total)
        return Status(Error::InvalidArgument,
                      fmt::format("distributions: estate {} counts {} of asset {} in escrow, its entries hold {}", i, total, asset,
                                  static_cast<int64_t>(sum)));
    }
    for (const auto& [asset, sum] : sums)
      if (!e.escrow_total.contains(asset))
        return Status(Error::InvalidArgument, fmt::format("distributions: estate {}: escrow of asset {} without a total", i, asset));
  }
  return {};
}

}  // namespace glassbook::engine
