// Property test of the claims registry and distributions: random estates, claim attestations (good
// and bad), KYC attestations, links, distribution rounds, their chunks and escrow releases. After
// every command the claim units outstanding equal the issuer's negative balance and the customers'
// holdings, each round's payments, escrow and remainder reconcile with its funding; refusals change
// nothing; a second engine fed the same commands agrees event for event; snapshots restore exactly
// and replay from them agrees.
#include <gtest/gtest.h>

#include <map>
#include <random>

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
      if (i % 2 == 0) e.barred_jurisdictions = {"BZ"};
      config_.estates.push_back(e);
    }
    for (int i = 0; i < kAccounts; ++i) accounts_.push_back(labelled("account" + std::to_string(i)));
    for (int i = 0; i < kHashes; ++i) hashes_.push_back(legacy_hash("creditor" + std::to_string(i) + "@example.com"));
  }

  const ExchangeConfig& config() const { return config_; }

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
    if (roll < 40) {
      AttestClaim a;
      a.estate = estate;
      a.claim_id = claim_id;
      a.revision = known == reg.claims.end() ? 1 : known->second.revision + 1;
      if (pick(10) == 0) a.revision += pick(2) == 0 ? 1 : -1;  // a replay or a skipped revision
      a.face = static_cast<int64_t>(pick(1'000'000'000));
      a.status = static_cast<ClaimStatus>(pick(4));
      a.legacy_hash = known != reg.claims.end() && pick(8) != 0 ? known->second.legacy_hash : hashes_[pick(kHashes)];
      c.signer = pick(12) == 0 ? agents_[pick(agents_.size())].public_key() : agents_[estate].public_key();
      c.body = a;
    } else if (roll < 60) {
      AttestKyc k;
      k.estate = estate;
      const AccountId who = static_cast<AccountId>(pick(kAccounts + 1));
      k.account = kFirstCustomer + who + (who == kAccounts ? 3 : 0);  // sometimes unknown (past the agents' accounts)
      k.level = static_cast<uint8_t>(pick(4));                                    // sometimes 0
      k.jurisdiction = pick(15) == 0 ? "x" : std::string(1, static_cast<char>('A' + pick(3))) + "Z";
      k.issued_at = now_ - static_cast<Timestamp>(pick(30));
      k.expires_at = now_ + static_cast<Timestamp>(pick(3000)) - 100;  // sometimes already expired
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
  uint64_t pick(uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng_); }

  std::mt19937_64 rng_;
  ExchangeConfig config_;
  std::vector<crypto::KeyPair> agents_, providers_, accounts_;
  std::vector<crypto::Digest> hashes_;
  int registered_ = 0;
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
  for (int i = 0; i < 3000; ++i) {
    Command c = gen.next(a);
    history.push_back(c);
    const crypto::Digest before = a.state_root();
    const auto ev = a.apply(c);
    const std::string where = "after command " + std::to_string(c.seq) + " (" + command_name(c.body) + ")";
    for (const auto& x : ev) {
      kinds[x.kind]++;
      taken_back += x.kind == EventKind::ClaimUnitsIssued && x.quantity < 0;
      if (x.kind == EventKind::DistributionPaid || x.kind == EventKind::DistributionEscrowed) {
        // Each share is floor(rate × the holder's units), and the holder's units are those it holds.
        const DistributionRound& r = a.distributions().estate(x.market).rounds.at(x.order_id - 1);
        ASSERT_EQ(x.remaining, a.ledger().balance(x.account, a.config().estates[x.market].claim_asset).total);
        ASSERT_EQ(static_cast<unsigned __int128>(x.quantity), static_cast<unsigned __int128>(x.remaining) * r.rate_numerator / r.rate_denominator);
      }
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
  EXPECT_GT(kinds[EventKind::DistributionCompleted], 5);
  EXPECT_GT(kinds[EventKind::DistributionPaid], 10);
  EXPECT_GT(kinds[EventKind::DistributionEscrowed], 0);
  EXPECT_GT(errors[Error::InsufficientFunds], 0);
}

INSTANTIATE_TEST_SUITE_P(Seeds, ClaimsProperty, ::testing::Values(1, 2, 3, 4));

}  // namespace
}  // namespace glassbook::engine::testing
