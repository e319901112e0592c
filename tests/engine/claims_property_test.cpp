// Property test of the claims registry, claims trading and distributions: random estates, claim
// attestations (good and bad), KYC attestations and links, random orders in each estate's claim
// market (KYC that expires while orders rest, buyers the transfer rules bar), distribution rounds,
// their chunks and escrow releases. After every command the claim units outstanding equal the
// issuer's negative balance and the customers' holdings, every fill in a claim market has its
// transfer record between eligible parties, no fill moves units of an estate whose round is open,
// each round's payments, escrow and remainder reconcile with its funding; refusals change nothing;
// a second engine fed the same commands agrees event for event; snapshots restore exactly and
// replay from them agrees.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <span>

#include "claims_fixture.h"

namespace glassbook::engine::testing {
namespace {

constexpr int kAccounts = 8;
constexpr uint64_t kClaimIds = 24;
constexpr int kHashes = 10;

crypto::KeyPair labelled(const std::string& label) { return crypto::KeyPair::from_seed(crypto::seed_from_label("claims-prop/" + label)); }

class ClaimsGenerator {
 public:
  explicit ClaimsGenerator(uint64_t seed) : rng_(seed) {
    config_ = demo_config(labelled("watcher").public_key());
    const size_t estates = 1 + pick(3);
    for (size_t i = 0; i < estates; ++i) {
      const AssetId asset = static_cast<AssetId>(config_.assets.size());
      config_.assets.push_back({"CLAIM" + std::to_string(i), static_cast<int>(pick(5))});
      EstateConfig e;
      e.name = "Estate " + std::to_string(i);
      e.claim_unit = i % 2 == 0 ? "USD" : "EUR";
      e.claim_asset = asset;
      e.payout_assets = {USDC};
      agents_.push_back(labelled("agent" + std::to_string(i)));
      providers_.push_back(labelled("provider" + std::to_string(i)));
      e.claims_agent = agents_.back().public_key();
      e.kyc_providers = {providers_.back().public_key()};
      // The first estate's rules always refuse some buyers (level 2, BZ barred); the others' vary.
      e.transfer_rules.min_kyc_level = i == 0 ? 2 : static_cast<uint8_t>(pick(3));
      if (i == 0 || pick(2) == 0) e.transfer_rules.barred_buyer_jurisdictions = {"BZ"};
      if (i % 2 == 0) e.barred_jurisdictions = {"BZ"};
      config_.estates.push_back(e);
      // Its claim market: one whole claim unit a lot, priced in 0.001 USDC steps up to 2 USDC.
      MarketConfig m;
      m.symbol = "CLAIM" + std::to_string(i) + "_USDC";
      m.base = asset;
      m.quote = USDC;
      m.tick_size = 1'000;
      m.lot_size = pow10(config_.assets[asset].decimals);
      m.min_quantity = m.lot_size;
      m.max_price = 2'000'000;
      config_.markets.push_back(m);
      claim_markets_.push_back(static_cast<MarketId>(config_.markets.size() - 1));
    }
    for (int i = 0; i < kAccounts; ++i) accounts_.push_back(labelled("account" + std::to_string(i)));
    for (int i = 0; i < kHashes; ++i) hashes_.push_back(legacy_hash("creditor" + std::to_string(i) + "@example.com"));
  }

  const ExchangeConfig& config() const { return config_; }
  const std::vector<MarketId>& claim_markets() const { return claim_markets_; }

  // The next command, judged against `e`'s state only to make most of them plausible.
  Command next(const Engine& e) {
    Command c;
    c.seq = ++seq_;
    now_ += 1 + static_cast<Timestamp>(pick(40));
    c.timestamp = now_;
    if (registered_ < kAccounts) {
      c.signer = accounts_[registered_].public_key();
      c.body = RegisterAccount{accounts_[registered_++].public_key()};
      return c;
    }
    // Each estate's distribution account (its agent's), funded now and then by the chain watcher.
    if (agents_registered_ < agents_.size()) {
      c.signer = agents_[agents_registered_].public_key();
      c.body = RegisterAccount{agents_[agents_registered_++].public_key()};
      return c;
    }
    if (funded_ < kAccounts) {  // USDC to buy claims with
      c.signer = labelled("watcher").public_key();
      c.body = Deposit{kFirstCustomer + static_cast<AccountId>(funded_), USDC, 1'000'000'000'000, ++deposits_};
      ++funded_;
      return c;
    }
    const uint16_t estate = static_cast<uint16_t>(pick(config_.estates.size()));
    const AccountId distribution_account = kFirstCustomer + kAccounts + estate;
    if (pick(40) == 0) {
      c.signer = labelled("watcher").public_key();
      c.body = Deposit{distribution_account, USDC, static_cast<int64_t>(pick(50'000'000'000)), ++deposits_};
      return c;
    }
    const EstateDistributions& dist = e.distributions().estate(estate);
    const int turn = static_cast<int>(pick(100));
    if (turn < 12) {
      DeclareDistribution d;
      d.estate = estate;
      d.round = static_cast<uint32_t>(dist.rounds.size() + 1) + (pick(10) == 0 ? 1 : 0);
      d.account = pick(10) == 0 ? kFirstCustomer + static_cast<AccountId>(pick(kAccounts)) : distribution_account;
      d.payout_asset = pick(15) == 0 ? BTC : USDC;
      d.rate_numerator = pick(20) == 0 ? 0 : (pick(6) == 0 ? 1'000'000 : 1 + pick(50));  // sometimes more than it holds
      d.rate_denominator = 1 + pick(9);
      d.record_seq = c.seq - pick(6) + (pick(15) == 0 ? 2 : 0);  // sometimes in the future or before the last change
      c.signer = pick(12) == 0 ? accounts_[pick(kAccounts)].public_key() : agents_[estate].public_key();
      c.body = d;
      return c;
    }
    if (turn < 22) {
      const DistributionRound* open = dist.open_round();
      PayDistribution p{estate, open != nullptr && pick(8) != 0 ? open->id : static_cast<uint32_t>(pick(dist.rounds.size() + 2))};
      c.signer = pick(12) == 0 ? accounts_[pick(kAccounts)].public_key() : agents_[estate].public_key();
      c.body = p;
      return c;
    }
    if (turn < 27) {
      const int who = static_cast<int>(pick(kAccounts));
      c.signer = accounts_[who].public_key();
      c.body = ReleaseEscrow{kFirstCustomer + static_cast<AccountId>(who), estate, USDC};
      return c;
    }
    const uint64_t claim_id = 1 + pick(kClaimIds);
    const EstateClaims& reg = e.claims().estate(estate);
    auto known = reg.claims.find(claim_id);
    const int roll = static_cast<int>(pick(100));
    if (roll < 35) return order(c, e, estate);
    if (roll < 55) {
      AttestClaim a;
      a.estate = estate;
      a.claim_id = claim_id;
      a.revision = known == reg.claims.end() ? 1 : known->second.revision + 1;
      if (pick(10) == 0) a.revision += pick(2) == 0 ? 1 : -1;  // a replay or a skipped revision
      a.face = static_cast<int64_t>(pick(1'000'000'000));
      if (pick(3) == 0 && known != reg.claims.end()) a.face = known->second.face;  // a dispute or an allowance of the same face
      a.status = static_cast<ClaimStatus>(pick(4));
      a.legacy_hash = known != reg.claims.end() && pick(8) != 0 ? known->second.legacy_hash : hashes_[pick(kHashes)];
      c.signer = pick(12) == 0 ? agents_[pick(agents_.size())].public_key() : agents_[estate].public_key();
      c.body = a;
    } else if (roll < 70) {
      AttestKyc k;
      k.estate = estate;
      const AccountId who = static_cast<AccountId>(pick(kAccounts + 1));
      k.account = kFirstCustomer + who + (who == kAccounts ? 3 : 0);  // sometimes unknown (past the agents' accounts)
      k.level = static_cast<uint8_t>(pick(4));                                    // sometimes 0
      k.jurisdiction = pick(15) == 0 ? "x" : std::string(1, static_cast<char>('A' + pick(3))) + "Z";
      k.issued_at = now_ - static_cast<Timestamp>(pick(30));
      // Sometimes already expired; often expiring while the account's orders rest.
      k.expires_at = now_ + static_cast<Timestamp>(pick(2) == 0 ? pick(3000) : pick(30'000)) - 100;
      c.signer = pick(12) == 0 ? providers_[pick(providers_.size())].public_key() : providers_[estate].public_key();
      c.body = k;
    } else {
      const int who = static_cast<int>(pick(kAccounts));
      LinkClaim l;
      l.account = kFirstCustomer + static_cast<AccountId>(who);
      l.estate = estate;
      l.claim_id = claim_id;
      l.legacy_hash = known != reg.claims.end() && pick(5) != 0 ? known->second.legacy_hash : hashes_[pick(kHashes)];
      const uint64_t signed_claim = pick(8) == 0 ? 1 + pick(kClaimIds) : claim_id;
      const std::string bytes =
          claim_link_bytes(config_.estates[estate].name, signed_claim, l.account, accounts_[who].public_key(), l.legacy_hash);
      l.agent_signature = (pick(10) == 0 ? agents_[pick(agents_.size())] : agents_[estate]).sign(bytes);
      c.signer = pick(20) == 0 ? accounts_[pick(kAccounts)].public_key() : accounts_[who].public_key();
      c.body = l;
    }
    return c;
  }

 private:
  static int64_t pow10(int d) {
    int64_t v = 1;
    while (d-- > 0) v *= 10;
    return v;
  }

  // An order, a cancel or a cancel-all in `estate`'s claim market by a random account.
  Command order(Command& c, const Engine& e, uint16_t estate) {
    const int who = static_cast<int>(pick(kAccounts));
    const AccountId account = kFirstCustomer + static_cast<AccountId>(who);
    const MarketId market = claim_markets_[estate];
    c.signer = accounts_[who].public_key();
    const int roll = static_cast<int>(pick(10));
    if (roll == 0) {
      c.body = CancelAll{account, market};
      return c;
    }
    if (roll <= 2) {  // one of its resting orders, or one that is not its own
      OrderId id = 1 + pick(e.last_seq() + 1);
      e.book(market).for_each_order_of(account, [&](const book::Order& o) { id = o.id; });
      c.body = CancelOrder{account, market, id, 0};
      return c;
    }
    PlaceOrder p;
    p.account = account;
    p.market = market;
    p.side = pick(2) == 0 ? Side::Buy : Side::Sell;
    // Half the sells come from an account that holds units, so that claims change hands often.
    if (p.side == Side::Sell && pick(2) == 0) {
      const AssetId asset = config_.markets[market].base;
      for (int k = 0; k < kAccounts; ++k) {
        const int holder = (who + k) % kAccounts;
        if (e.ledger().balance(kFirstCustomer + static_cast<AccountId>(holder), asset).available() <= 0) continue;
        p.account = kFirstCustomer + static_cast<AccountId>(holder);
        c.signer = accounts_[holder].public_key();
        break;
      }
    }
    p.quantity = static_cast<int64_t>(1 + pick(40)) * config_.markets[market].lot_size;
    // Prices cluster around 0.30 USDC so that orders cross often.
    p.price = static_cast<int64_t>(280 + pick(40)) * 1'000;
    const int kind = static_cast<int>(pick(10));
    if (kind == 0) {
      p.type = OrderType::Market;
      p.tif = TimeInForce::IOC;
      if (pick(2) == 0) p.price = 0;
    } else if (kind == 1) {
      p.tif = TimeInForce::IOC;
    } else if (kind == 2) {
      p.tif = TimeInForce::FOK;
    } else if (kind == 3) {
      p.tif = TimeInForce::PostOnly;
    }
    p.stp = static_cast<Stp>(pick(3));
    c.body = p;
    return c;
  }

  uint64_t pick(uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng_); }

  std::mt19937_64 rng_;
  ExchangeConfig config_;
  std::vector<crypto::KeyPair> agents_, providers_, accounts_;
  std::vector<crypto::Digest> hashes_;
  std::vector<MarketId> claim_markets_;
  int registered_ = 0;
  int funded_ = 0;
  size_t agents_registered_ = 0;
  uint64_t deposits_ = 0;
  SeqNo seq_ = 0;
  Timestamp now_ = 1'700'000'000'000'000;
};

// Outstanding units per estate: the registry's count, minus the issuer's balance, the customers' holdings.
void expect_units_reconcile(const Engine& e, const std::string& where) {
  for (size_t i = 0; i < e.config().estates.size(); ++i) {
    const AssetId asset = e.config().estates[i].claim_asset;
    const int64_t outstanding = e.claims().estate(i).outstanding;
    int64_t backed = 0;
    for (const auto& [id, claim] : e.claims().estate(i).claims) backed += claim.units();
    ASSERT_EQ(outstanding, backed) << where;
    ASSERT_EQ(-e.ledger().balance(kClaimsIssuerAccount, asset).total, outstanding) << where << " estate " << i;
    ASSERT_EQ(e.ledger().customer_total(asset), outstanding) << where << " estate " << i;
  }
}

// How many transfer records of the same market follow event `k` (a later fill of one command has a
// later trade number).
size_t transfers_after(std::span<const Event> ev, size_t k) {
  size_t n = 0;
  for (size_t j = k + 1; j < ev.size(); ++j) n += ev[j].kind == EventKind::ClaimTransferred && ev[j].market == ev[k].market;
  return n;
}

// Every complete round: paid + escrowed + remainder = funded = floor(units × rate); an open one still
// holds the rest, with the estate's units as recorded; the escrow account holds every holder's escrow.
void expect_rounds_reconcile(const Engine& e, const std::string& where) {
  __int128 escrow = 0, open = 0;
  for (size_t i = 0; i < e.config().estates.size(); ++i) {
    const EstateDistributions& d = e.distributions().estate(i);
    for (const DistributionRound& r : d.rounds) {
      ASSERT_EQ(static_cast<unsigned __int128>(r.funded), static_cast<unsigned __int128>(r.units) * r.rate_numerator / r.rate_denominator) << where;
      if (r.complete) {
        ASSERT_EQ(r.paid + r.escrowed + r.remainder, r.funded) << where << " estate " << i << " round " << r.id;
      } else {
        ASSERT_EQ(e.claims().estate(i).outstanding, r.units) << where << ": units moved during round " << r.id;
        open += r.funded - r.paid - r.escrowed;
      }
    }
    for (const auto& [key, amount] : d.escrow) escrow += amount;
  }
  ASSERT_EQ(e.ledger().balance(kClaimsEscrowAccount, USDC).total, static_cast<int64_t>(escrow)) << where;
  ASSERT_EQ(e.ledger().balance(kDistributionAccount, USDC).total, static_cast<int64_t>(open)) << where;
}

class ClaimsProperty : public ::testing::TestWithParam<uint64_t> {};

TEST_P(ClaimsProperty, UnitsReconcileAndEnginesAgree) {
  ClaimsGenerator gen(GetParam());
  Engine a(gen.config()), b(gen.config());
  std::vector<Command> history;
  std::unique_ptr<Engine> restored;
  size_t restored_at = 0;
  std::map<EventKind, int> kinds;
  std::map<Error, int> errors;
  int taken_back = 0;
  int ineligible = 0;
  for (int i = 0; i < 3000; ++i) {
    Command c = gen.next(a);
    history.push_back(c);
    const crypto::Digest before = a.state_root();
    const auto ev = a.apply(c);
    const std::string where = "after command " + std::to_string(c.seq) + " (" + command_name(c.body) + ")";
    for (size_t k = 0; k < ev.size(); ++k) {
      const Event& x = ev[k];
      kinds[x.kind]++;
      taken_back += x.kind == EventKind::ClaimUnitsIssued && x.quantity < 0;
      ineligible += x.kind == EventKind::OrderCancelled && x.cause == CancelCause::ClaimIneligible;
      // Every fill in a claim market is followed by its transfer record, between parties eligible at
      // this command's time (the seller with KYC, the buyer within the transfer rules).
      if (x.kind == EventKind::DistributionPaid || x.kind == EventKind::DistributionEscrowed) {
        // Each share is floor(rate × the holder's units), and the holder's units are those it holds.
        const DistributionRound& r = a.distributions().estate(x.market).rounds.at(x.order_id - 1);
        ASSERT_EQ(x.remaining, a.ledger().balance(x.account, a.config().estates[x.market].claim_asset).total);
        ASSERT_EQ(static_cast<unsigned __int128>(x.quantity), static_cast<unsigned __int128>(x.remaining) * r.rate_numerator / r.rate_denominator);
      }
      if (x.kind != EventKind::Trade) continue;
      ASSERT_LT(k + 1, ev.size()) << where;
      const Event& r = ev[k + 1];
      ASSERT_EQ(r.kind, EventKind::ClaimTransferred) << where;
      ASSERT_EQ(r.quantity, x.quantity) << where;
      ASSERT_EQ(r.price, x.price) << where;
      ASSERT_EQ(r.order_id, a.stats(x.market).trades - (transfers_after(ev, k + 1))) << where;
      const size_t estate = r.client_id;
      const auto& kyc = a.claims().estate(estate).kyc;
      const auto& rules = a.config().estates[estate].transfer_rules;
      ASSERT_TRUE(kyc.contains(r.maker_account) && kyc.at(r.maker_account).valid_at(c.timestamp)) << where;
      ASSERT_TRUE(kyc.contains(r.account) && kyc.at(r.account).valid_at(c.timestamp)) << where;
      ASSERT_GE(kyc.at(r.account).level, rules.min_kyc_level) << where;
      ASSERT_FALSE(std::count(rules.barred_buyer_jurisdictions.begin(), rules.barred_buyer_jurisdictions.end(), kyc.at(r.account).jurisdiction))
          << where;
    }
    if (ev.size() == 1 && ev[0].kind == EventKind::Rejected) {
      errors[ev[0].error]++;
      ASSERT_EQ(a.state_root(), before) << "refused " << where << ": " << ev[0].message;
    }
    const Status inv = a.check_invariants();
    ASSERT_TRUE(inv.is_ok()) << where << ": " << inv.to_string();
    expect_units_reconcile(a, where);
    expect_rounds_reconcile(a, where);
    const std::vector<Event> copy(ev.begin(), ev.end());
    const auto evb = b.apply(c);
    ASSERT_EQ(std::vector<Event>(evb.begin(), evb.end()), copy) << "engines diverge " << where;
    if (i % 250 == 249) {
      ASSERT_EQ(a.state_root(), b.state_root()) << where;
      ASSERT_EQ(a.state_root(), a.state_root_from_scratch()) << where;
      // A snapshot restores exactly; the first one taken is then replayed to the end below.
      const std::string snap = a.snapshot();
      auto r = Engine::restore(snap);
      ASSERT_TRUE(r.is_ok()) << where << ": " << r.status().to_string();
      ASSERT_EQ(r.value()->snapshot(), snap) << where;
      ASSERT_EQ(r.value()->state_root(), a.state_root()) << where;
      if (!restored) {
        restored = std::move(r).value();
        restored_at = history.size();
      }
    }
  }
  ASSERT_TRUE(restored);
  for (size_t i = restored_at; i < history.size(); ++i) restored->apply(history[i]);
  EXPECT_EQ(restored->state_root(), a.state_root()) << "replay from a snapshot reaches another state";
  EXPECT_EQ(restored->snapshot(), a.snapshot());
  // The stream exercised crediting, taking back and every kind of refusal.
  EXPECT_GT(kinds[EventKind::ClaimLinked], 10);
  EXPECT_GT(kinds[EventKind::ClaimUnitsIssued], 20);
  EXPECT_GT(kinds[EventKind::KycAttested], 50);
  for (Error e : {Error::Unauthorized, Error::InvalidSignature, Error::InvalidArgument, Error::Expired, Error::UnknownAccount})
    EXPECT_GT(errors[e], 0) << error_name(e);
  EXPECT_GT(taken_back, 5) << "no claim's units were ever taken back";
  // Claims traded, and every eligibility rule refused someone or cancelled a resting order.
  EXPECT_GT(kinds[EventKind::ClaimTransferred], 20);
  EXPECT_EQ(kinds[EventKind::ClaimTransferred], kinds[EventKind::Trade]);
  EXPECT_GT(ineligible, 0) << "no resting order was ever cancelled for its owner's eligibility";
  for (Error e : {Error::KycMissing, Error::KycExpired, Error::KycLevelTooLow, Error::BuyerJurisdictionBarred, Error::InsufficientFunds})
    EXPECT_GT(errors[e], 0) << error_name(e);
  EXPECT_GT(kinds[EventKind::DistributionCompleted], 5);
  EXPECT_GT(kinds[EventKind::DistributionPaid], 10);
  EXPECT_GT(kinds[EventKind::DistributionEscrowed], 0);
  EXPECT_GT(errors[Error::InsufficientFunds], 0);
}

INSTANTIATE_TEST_SUITE_P(Seeds, ClaimsProperty, ::testing::Values(1, 2, 3, 4));

}  // namespace
}  // namespace glassbook::engine::testing
