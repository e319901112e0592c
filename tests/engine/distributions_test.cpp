// Distributions to claim holders: rounds declared by the claims agent and funded from its
// distribution account, paid in chunks of floor(rate × units), barred holders' shares kept in escrow
// until released, the rounding remainder returned; every refusal changes nothing.
#include <gtest/gtest.h>

#include <map>

#include "claims_fixture.h"
#include "engine/claims_report.h"
#include "engine/command_codec.h"

namespace glassbook::engine::testing {
namespace {

inline constexpr AssetId EURC = 5;

void add_eurc(ExchangeConfig& c) {
  c.assets.push_back({"EURC", 6});
  c.estates[kFtx].payout_assets = {USDC, EURC};
}

const char* const kJurisdictions[] = {"FR", "US", "CN", "DE", "RU", "JP", "SG"};  // CN and RU are barred by FTX

class Distributions : public ::testing::Test {
 protected:
  // EURC as a second payout asset, and FTX's claim market (where holdings change between rounds).
  Distributions()
      : ex([this](ExchangeConfig& c) {
          add_eurc(c);
          market = add_claim_market(c);
        }) {}

  // The claims agent's own account, registered with its key: the estate's distribution account.
  AccountId open_distribution_account(uint16_t estate = kFtx) {
    const crypto::KeyPair agent = ClaimsExchange::agent(estate);
    const auto ev = ex.run(agent, RegisterAccount{agent.public_key()});
    EXPECT_EQ(ev.at(0).kind, EventKind::AccountRegistered);
    return ev.at(0).account;
  }
  void fund(AccountId account, AssetId asset, int64_t amount) {
    ASSERT_EQ(rejection(ex.run(ex.watcher(), Deposit{account, asset, amount, ex.next_deposit_id()})), Error::Ok);
  }
  // A creditor with KYC in `jurisdiction` who links an allowed claim of `face`.
  void creditor(const std::string& name, uint64_t claim, int64_t face, const std::string& jurisdiction, uint16_t estate = kFtx) {
    ex.open(name);
    const crypto::Digest hash = legacy_hash(name + "@example.com");
    ASSERT_EQ(rejection(ex.attest(claim, 1, face, ClaimStatus::Allowed, hash, estate)), Error::Ok);
    ASSERT_EQ(rejection(ex.kyc(name, 2, jurisdiction, 3'600'000'000, estate)), Error::Ok);
    ASSERT_EQ(rejection(ex.link(name, claim, hash, estate)), Error::Ok);
  }
  std::vector<Event> declare(uint32_t round, AccountId account, AssetId asset, uint64_t num, uint64_t den, SeqNo record,
                             uint16_t estate = kFtx) {
    return ex.run(ClaimsExchange::agent(estate), DeclareDistribution{estate, round, account, asset, num, den, record});
  }
  std::vector<Event> pay(uint32_t round, uint16_t estate = kFtx) { return ex.run(ClaimsExchange::agent(estate), PayDistribution{estate, round}); }
  std::vector<Event> release(const std::string& name, AssetId asset, uint16_t estate = kFtx) {
    return ex.run(ex.key(name), ReleaseEscrow{ex.id(name), estate, asset});
  }
  // Pays chunks until the round completes; returns every event.
  std::vector<Event> pay_all(uint32_t round, uint16_t estate = kFtx) {
    std::vector<Event> all;
    for (int chunk = 0; chunk < 10'000; ++chunk) {
      const auto ev = pay(round, estate);
      EXPECT_NE(ev.at(0).kind, EventKind::Rejected) << ev.at(0).message;
      all.insert(all.end(), ev.begin(), ev.end());
      if (!of_kind(ev, EventKind::DistributionCompleted).empty()) break;
    }
    return all;
  }
  SeqNo last_seq() { return ex.engine().last_seq(); }
  int64_t balance(AccountId a, AssetId asset) { return ex.engine().ledger().balance(a, asset).total; }
  const EstateDistributions& dist(uint16_t estate = kFtx) { return ex.engine().distributions().estate(estate); }

  MarketId market = 0;  // before ex: the configuration sets it while ex is built
  ClaimsExchange ex;
};

// floor(units × num / den), the share the engine must pay.
int64_t share(int64_t units, uint64_t num, uint64_t den) {
  return static_cast<int64_t>(static_cast<unsigned __int128>(units) * num / den);
}

// The end to end: an estate, 1,000 creditors across jurisdictions, two rounds (USDC, then
// EURC) with barred creditors selling part of their claims to eligible ones between them; each
// payment is floor(rate × units) of the holdings at the round, escrow and remainder reconcile
// exactly, the invariants hold after every command.
TEST_F(Distributions, TwoRoundsOverAThousandCreditorsReconcileExactly) {
  ex.check_invariants_always();
  const AccountId agent = open_distribution_account();
  fund(agent, USDC, 2'000'000'000 * kUsdc);
  fund(agent, EURC, 2'000'000'000 * kUsdc);
  constexpr int kCreditors = 1000;
  std::map<AccountId, std::string> jurisdiction;
  for (int i = 0; i < kCreditors; ++i) {
    const std::string name = "creditor" + std::to_string(i);
    const std::string j = kJurisdictions[i % std::size(kJurisdictions)];
    creditor(name, 1 + i, 1 + (static_cast<int64_t>(i) * 7919 % 10'000'000), j);  // faces from a cent to $100,000
    jurisdiction[ex.id(name)] = j;
  }
  const int64_t units = ex.outstanding(kFtx);

  struct Round {
    uint32_t id;
    AssetId asset;
    uint64_t num, den;
  };
  for (const Round round : {Round{1, USDC, 123'457, 33}, Round{2, EURC, 7, 3}}) {
    SCOPED_TRACE("round " + std::to_string(round.id));
    if (round.id == 2) {
      // Creditors barred from payouts (CN, RU) sell half their claims at 0.30 to creditors in France,
      // who may buy: the second round pays the buyers for what they bought and escrows only what the
      // sellers kept.
      int sales = 0;
      for (int i = 0; i < kCreditors && sales < 40; ++i) {
        const std::string seller = "creditor" + std::to_string(i);
        const std::string& j = jurisdiction.at(ex.id(seller));
        const int64_t lots = balance(ex.id(seller), FTXC) / 2 / kClaimLot;
        if ((j != "CN" && j != "RU") || lots == 0) continue;
        const std::string buyer = "creditor" + std::to_string(i / 7 * 7);  // index a multiple of 7: France
        ASSERT_EQ(jurisdiction.at(ex.id(buyer)), "FR");
        fund(ex.id(buyer), USDC, 20'000 * kUsdc);
        const int64_t seller_units = balance(ex.id(seller), FTXC), buyer_units = balance(ex.id(buyer), FTXC);
        ASSERT_EQ(rejection(ex.order(seller, Side::Sell, 300 * kClaimTick, lots * kClaimLot, TimeInForce::GTC, market)), Error::Ok);
        const auto ev = ex.order(buyer, Side::Buy, 300 * kClaimTick, lots * kClaimLot, TimeInForce::GTC, market);
        const auto transfers = of_kind(ev, EventKind::ClaimTransferred);
        ASSERT_EQ(transfers.size(), 1u) << ex.engine().last_error();
        EXPECT_EQ(transfers[0].maker_account, ex.id(seller));
        EXPECT_EQ(transfers[0].account, ex.id(buyer));
        EXPECT_EQ(balance(ex.id(seller), FTXC), seller_units - lots * kClaimLot);
        EXPECT_EQ(balance(ex.id(buyer), FTXC), buyer_units + lots * kClaimLot);
        ++sales;
      }
      EXPECT_EQ(sales, 40);
      EXPECT_EQ(ex.outstanding(kFtx), units) << "trades move claim units between holders only";
    }
    const int64_t agent_before = balance(agent, round.asset);
    const int64_t escrow_before = balance(kClaimsEscrowAccount, round.asset);
    std::map<AccountId, int64_t> holder_before;
    for (const auto& [a, j] : jurisdiction) holder_before[a] = balance(a, round.asset);

    const auto declared = declare(round.id, agent, round.asset, round.num, round.den, last_seq());
    ASSERT_EQ(declared.size(), 1u) << declared[0].message;
    ASSERT_EQ(declared[0].kind, EventKind::DistributionDeclared);
    const int64_t funded = share(units, round.num, round.den);
    EXPECT_EQ(declared[0].quantity, funded);
    EXPECT_EQ(balance(agent, round.asset), agent_before - funded) << "the funding leaves the distribution account at once";
    EXPECT_EQ(balance(kDistributionAccount, round.asset), funded);
    EXPECT_TRUE(ex.engine().distribution_freezes_units(kFtx));

    const auto events = pay_all(round.id);
    EXPECT_FALSE(ex.engine().distribution_freezes_units(kFtx));
    int64_t paid = 0, escrowed = 0;
    size_t holders = 0;
    for (const Event& e : events) {
      if (e.kind != EventKind::DistributionPaid && e.kind != EventKind::DistributionEscrowed) continue;
      ++holders;
      const int64_t held = ex.engine().ledger().balance(e.account, FTXC).total;
      EXPECT_EQ(e.remaining, held);
      EXPECT_EQ(e.quantity, share(held, round.num, round.den)) << "account " << e.account;
      const std::string& j = jurisdiction.at(e.account);
      const bool barred = j == "CN" || j == "RU";
      EXPECT_EQ(e.kind == EventKind::DistributionEscrowed, barred) << "account " << e.account << " in " << j;
      (barred ? escrowed : paid) += e.quantity;
      EXPECT_EQ(balance(e.account, round.asset), holder_before[e.account] + (barred ? 0 : e.quantity));
    }
    EXPECT_EQ(holders, static_cast<size_t>(kCreditors)) << "every creditor's share is above zero at these rates";
    const auto done = of_kind(events, EventKind::DistributionCompleted);
    ASSERT_EQ(done.size(), 1u);
    const int64_t remainder = done[0].quantity;
    EXPECT_EQ(paid + escrowed + remainder, funded) << "payments and escrow are the funding minus the remainder";
    EXPECT_GE(remainder, 0);
    EXPECT_LT(remainder, kCreditors) << "the remainder is rounding only: less than a unit per holder";
    EXPECT_EQ(balance(agent, round.asset), agent_before - funded + remainder) << "the remainder returns to the distribution account";
    EXPECT_EQ(balance(kDistributionAccount, round.asset), 0);
    EXPECT_EQ(balance(kClaimsEscrowAccount, round.asset), escrow_before + escrowed);
    const DistributionRound& r = dist().rounds.at(round.id - 1);
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.paid, paid);
    EXPECT_EQ(r.escrowed, escrowed);
    EXPECT_EQ(r.remainder, remainder);
    EXPECT_EQ(r.holders, static_cast<uint64_t>(kCreditors));
    EXPECT_GT(escrowed, 0);
    EXPECT_EQ(dist().escrow_total.at(round.asset), escrowed);
  }
  EXPECT_EQ(ex.outstanding(kFtx), units) << "distributions move no claim units";

  // creditor2 (CN) moves to France: its escrow in both assets is released to it; creditor4 (RU) stays barred.
  const int64_t escrow_usdc = dist().escrow.at(escrow_key(ex.id("creditor2"), USDC));
  const int64_t usdc_before = balance(ex.id("creditor2"), USDC);  // what its sale between the rounds paid it
  ASSERT_EQ(rejection(ex.kyc("creditor2", 2, "FR")), Error::Ok);
  const auto released = release("creditor2", USDC);
  ASSERT_EQ(released.size(), 1u) << released[0].message;
  EXPECT_EQ(released[0].kind, EventKind::EscrowReleased);
  EXPECT_EQ(released[0].quantity, escrow_usdc);
  EXPECT_EQ(balance(ex.id("creditor2"), USDC), usdc_before + escrow_usdc);
  ASSERT_EQ(rejection(release("creditor2", EURC)), Error::Ok);
  EXPECT_FALSE(dist().escrow.contains(escrow_key(ex.id("creditor2"), USDC)));
  ex.expect_refused(Error::Unauthorized, "bars payouts to RU", [&] { return release("creditor4", USDC); });
  EXPECT_EQ(balance(kClaimsEscrowAccount, USDC), dist().escrow_total.at(USDC));
}

TEST_F(Distributions, ChunksPayEveryHolderOnceInAccountOrder) {
  const AccountId agent = open_distribution_account();
  fund(agent, USDC, 1'000'000 * kUsdc);
  // More holders than one chunk pays, so the round takes two chunks.
  const int holders = static_cast<int>(kDistributionChunk) + 50;
  for (int i = 0; i < holders; ++i) creditor("h" + std::to_string(i), 1 + i, 100 + i, i % 10 == 0 ? "CN" : "FR");
  ASSERT_EQ(rejection(declare(1, agent, USDC, 3, 7, last_seq())), Error::Ok);
  const auto first = pay(1);
  EXPECT_EQ(first.size(), kDistributionChunk) << "a full chunk, and no completion yet";
  EXPECT_TRUE(of_kind(first, EventKind::DistributionCompleted).empty());
  EXPECT_TRUE(ex.engine().check_invariants());
  const auto second = pay(1);
  ASSERT_EQ(of_kind(second, EventKind::DistributionCompleted).size(), 1u);
  EXPECT_EQ(second.size(), 51u);
  AccountId previous = 0;
  for (const auto* chunk : {&first, &second})
    for (const Event& e : *chunk)
      if (e.kind != EventKind::DistributionCompleted) {
        EXPECT_GT(e.account, previous) << "holders are paid once each, in account order";
        previous = e.account;
      }
  EXPECT_TRUE(ex.engine().check_invariants());
  ex.expect_refused(Error::InvalidArgument, "round 1 of estate 'FTX Trading Ltd.' is complete", [&] { return pay(1); });
}

TEST_F(Distributions, UnitsStayFrozenWhileARoundIsPaid) {
  ex.check_invariants_always();
  const AccountId agent = open_distribution_account();
  fund(agent, USDC, 1'000 * kUsdc);
  creditor("alice", 1, 500'00, "FR");
  ex.open("bob");
  const crypto::Digest bob_hash = legacy_hash("bob@example.com");
  ex.attest(2, 1, 300'00, ClaimStatus::Allowed, bob_hash);
  ex.kyc("bob");
  ASSERT_EQ(rejection(declare(1, agent, USDC, 1, 1, last_seq())), Error::Ok);
  // A link that would credit units, and an attestation that would take them back, wait for the round.
  ex.expect_refused(Error::InvalidArgument, "is paying distribution round 1", [&] { return ex.link("bob", 2, bob_hash); });
  ex.expect_refused(Error::InvalidArgument, "is paying distribution round 1",
                 [&] { return ex.attest(1, 2, 0, ClaimStatus::Disputed, legacy_hash("alice@example.com")); });
  // What moves no units is accepted: a new scheduled claim, a KYC attestation.
  EXPECT_EQ(rejection(ex.attest(3, 1, 10'00, ClaimStatus::Scheduled, legacy_hash("carol@example.com"))), Error::Ok);
  // A second round waits for the first.
  ex.expect_refused(Error::InvalidArgument, "still being paid", [&] { return declare(2, agent, USDC, 1, 1, last_seq()); });
  pay_all(1);
  EXPECT_EQ(balance(ex.id("alice"), USDC), 500'00);
  EXPECT_EQ(rejection(ex.link("bob", 2, bob_hash)), Error::Ok) << "units move again once the round is paid";
}

TEST_F(Distributions, RefusalsChangeNothing) {
  ex.check_invariants_always();
  const AccountId agent = open_distribution_account();
  creditor("alice", 1, 1'000'00, "FR");
  const SeqNo linked_at = last_seq();
  ex.open("mallory");
  fund(agent, USDC, 500);

  // An unknown estate, in each command.
  ex.expect_refused(Error::InvalidArgument, "unknown estate 7", [&] { return declare(1, agent, USDC, 1, 1, last_seq(), 7); });
  ex.expect_refused(Error::InvalidArgument, "unknown estate 7", [&] { return ex.run(ClaimsExchange::agent(kFtx), PayDistribution{7, 1}); });
  ex.expect_refused(Error::InvalidArgument, "unknown estate 7", [&] { return ex.run(ex.key("alice"), ReleaseEscrow{ex.id("alice"), 7, USDC}); });
  // Signed by someone else than the claims agent; funded from another account than the agent's.
  ex.expect_refused(Error::Unauthorized, "claims agent", [&] {
    return ex.run(ex.key("mallory"), DeclareDistribution{kFtx, 1, ex.id("mallory"), USDC, 1, 1, last_seq()});
  });
  ex.expect_refused(Error::Unauthorized, "claims agent", [&] { return ex.run(ClaimsExchange::agent(kCelsius), PayDistribution{kFtx, 1}); });
  ex.expect_refused(Error::Unauthorized, "distribution account", [&] { return declare(1, ex.id("mallory"), USDC, 1, 1, last_seq()); });
  ex.expect_refused(Error::UnknownAccount, "unknown distribution account", [&] { return declare(1, 9999, USDC, 1, 1, last_seq()); });
  // A round not fully funded: 1,000.00 units at 1/100 need 1,000 USDC units, the account has 500.
  ex.expect_refused(Error::InsufficientFunds, "not fully funded: it needs 1000 of USDC", [&] { return declare(1, agent, USDC, 1, 100, last_seq()); });
  // A record sequence in the future, or before the last change of holdings.
  ex.expect_refused(Error::InvalidArgument, "in the future", [&] { return declare(1, agent, USDC, 1, 1000, last_seq() + 2); });
  ex.expect_refused(Error::InvalidArgument, "after the record sequence", [&] { return declare(1, agent, USDC, 1, 1000, linked_at - 1); });
  // Rounds in order; a payout asset of the estate; a rate of two positive terms that fits.
  ex.expect_refused(Error::InvalidArgument, "round 2 of estate 'FTX Trading Ltd.' where 1 is next", [&] { return declare(2, agent, USDC, 1, 1000, last_seq()); });
  ex.expect_refused(Error::InvalidArgument, "not a payout asset", [&] { return declare(1, agent, BTC, 1, 1000, last_seq()); });
  ex.expect_refused(Error::InvalidArgument, "both terms must be positive", [&] { return declare(1, agent, USDC, 0, 1, last_seq()); });
  ex.expect_refused(Error::InvalidArgument, "both terms must be positive", [&] { return declare(1, agent, USDC, 1, 0, last_seq()); });
  ex.expect_refused(Error::Overflow, "exceeds the largest amount", [&] { return declare(1, agent, USDC, UINT64_MAX, 1, last_seq()); });
  ex.expect_refused(Error::InvalidArgument, "pays nothing", [&] { return declare(1, agent, USDC, 1, 1'000'000'000, last_seq()); });
  // An estate without units outstanding.
  const AccountId celsius_agent = open_distribution_account(kCelsius);
  ex.expect_refused(Error::InvalidArgument, "no claim units outstanding", [&] { return declare(1, celsius_agent, USDC, 1, 1, last_seq(), kCelsius); });
  // Paying a round never declared; releasing an escrow that does not exist.
  ex.expect_refused(Error::InvalidArgument, "has no round 1", [&] { return pay(1); });
  ex.expect_refused(Error::InvalidArgument, "nothing of asset 2 in escrow", [&] { return release("alice", USDC); });
  ex.expect_refused(Error::Unauthorized, "not signed by the account's key", [&] { return ex.run(ex.key("mallory"), ReleaseEscrow{ex.id("alice"), kFtx, USDC}); });
  EXPECT_TRUE(dist().rounds.empty());
  // The same declaration, funded and recorded now, is accepted.
  EXPECT_EQ(rejection(declare(1, agent, USDC, 1, 1000, last_seq())), Error::Ok);
}

TEST_F(Distributions, EscrowIsReleasedOnlyToAValidUnbarredHolder) {
  ex.check_invariants_always();
  const AccountId agent = open_distribution_account();
  fund(agent, USDC, 1'000 * kUsdc);
  creditor("chen", 1, 200'00, "CN");
  ASSERT_EQ(rejection(declare(1, agent, USDC, 10, 1, last_seq())), Error::Ok);
  pay_all(1);
  EXPECT_EQ(balance(ex.id("chen"), USDC), 0);
  EXPECT_EQ(dist().escrow.at(escrow_key(ex.id("chen"), USDC)), 2'000'00);
  ex.expect_refused(Error::Unauthorized, "bars payouts to CN", [&] { return release("chen", USDC); });
  // A newer attestation in a jurisdiction the estate does not bar, but expired by the time of the release.
  ASSERT_EQ(rejection(ex.kyc("chen", 2, "SG", 5)), Error::Ok);
  ex.advance(10);
  ex.expect_refused(Error::Expired, "expired", [&] { return release("chen", USDC); });
  ASSERT_EQ(rejection(ex.kyc("chen", 2, "SG")), Error::Ok);
  const auto ev = release("chen", USDC);
  ASSERT_EQ(ev.at(0).kind, EventKind::EscrowReleased) << ev.at(0).message;
  EXPECT_EQ(balance(ex.id("chen"), USDC), 2'000'00);
  EXPECT_EQ(balance(kClaimsEscrowAccount, USDC), 0);
  EXPECT_TRUE(dist().escrow.empty());
  ex.expect_refused(Error::InvalidArgument, "nothing of asset 2 in escrow", [&] { return release("chen", USDC); });
}

TEST_F(Distributions, ASnapshotRestoresAnOpenRoundAndEscrowExactly) {
  const AccountId agent = open_distribution_account();
  fund(agent, USDC, 1'000 * kUsdc);
  for (int i = 0; i < 20; ++i) creditor("c" + std::to_string(i), 1 + i, 1'000 + 37 * i, kJurisdictions[i % 7]);
  ASSERT_EQ(rejection(declare(1, agent, USDC, 5, 3, last_seq())), Error::Ok);
  pay_all(1);
  ASSERT_EQ(rejection(declare(2, agent, USDC, 1, 2, last_seq())), Error::Ok);  // open, unpaid
  const std::string snap = ex.engine().snapshot();
  auto restored = Engine::restore(snap);
  ASSERT_TRUE(restored.is_ok()) << restored.status().to_string();
  EXPECT_EQ(restored.value()->snapshot(), snap);
  EXPECT_EQ(restored.value()->state_root(), ex.engine().state_root());
  EXPECT_EQ(restored.value()->distributions().estate(kFtx), dist());
  EXPECT_TRUE(restored.value()->distribution_freezes_units(kFtx));
  // Both pay the open round alike.
  const crypto::KeyPair agent_key = ClaimsExchange::agent(kFtx);
  SignedCommand sc = sign_command(agent_key, last_seq() + 1, ex.now() + 1, PayDistribution{kFtx, 2});
  const auto a = restored.value()->apply(sc.command);
  const std::vector<Event> from_restored(a.begin(), a.end());
  const auto b = ex.engine().apply(sc.command);
  EXPECT_EQ(std::vector<Event>(b.begin(), b.end()), from_restored);
  EXPECT_EQ(restored.value()->state_root(), ex.engine().state_root());

  // A damaged section is refused: the last estate's round count (the snapshot ends with its u32
  // rounds, then its u64 escrow entries, then custody's 20 bytes: nothing registered) beyond the limit.
  std::string bad = snap;
  bad[bad.size() - 9 - 20] = 0x7F;
  EXPECT_FALSE(Engine::restore(bad).is_ok());
}

TEST_F(Distributions, ClaimUnitsCannotBeWithdrawnToAChain) {
  creditor("alice", 1, 100'00, "FR");
  ex.expect_refused(Error::InvalidArgument, "cannot be withdrawn", [&] {
    return ex.run(ex.key("alice"), RequestWithdrawal{ex.id("alice"), FTXC, 100'00, "0xabc", "Ethereum", 0});
  });
}

TEST_F(Distributions, TheReportAggregatesRoundsEscrowAndJurisdictions) {
  const AccountId agent = open_distribution_account();
  fund(agent, USDC, 1'000 * kUsdc);
  for (int i = 0; i < 14; ++i) creditor("c" + std::to_string(i), 1 + i, 100'00 * (1 + i), kJurisdictions[i % 7]);
  ex.attest(99, 1, 5'00, ClaimStatus::Scheduled, legacy_hash("unlinked@example.com"));
  ASSERT_EQ(rejection(declare(1, agent, USDC, 10, 3, last_seq())), Error::Ok);
  pay_all(1);
  auto built = estate_report(ex.engine(), kFtx);
  ASSERT_TRUE(built.is_ok());
  const EstateReport& r = built.value();
  EXPECT_EQ(r.name, "FTX Trading Ltd.");
  EXPECT_EQ(r.claims, 15u);
  EXPECT_EQ(r.claims_linked, 14u);
  EXPECT_EQ(r.face_linked, 100'00 * (14 * 15 / 2));
  EXPECT_EQ(r.face_registered, r.face_linked + 5'00);
  EXPECT_EQ(r.units_outstanding, r.face_linked);
  ASSERT_EQ(r.rounds.size(), 1u);
  EXPECT_EQ(r.rounds[0].paid + r.rounds[0].escrowed + r.rounds[0].remainder, r.rounds[0].funded);
  // CN holds c2 and c9 (300.00 and 1,000.00 face); RU holds c4 and c11.
  const JurisdictionTotals& cn = r.jurisdictions.at("CN");
  EXPECT_EQ(cn.holders, 2u);
  EXPECT_EQ(cn.units, 300'00 + 1'000'00);
  EXPECT_EQ(cn.escrow.at(USDC), share(300'00, 10, 3) + share(1'000'00, 10, 3));
  EXPECT_TRUE(r.jurisdictions.at("FR").escrow.empty());
  EXPECT_EQ(r.jurisdictions.size(), 7u);
  EXPECT_EQ(r.escrow_holders, 4u);
  EXPECT_EQ(r.escrow.at(USDC), r.rounds[0].escrowed);
  const std::string text = format_estate_report(r, ex.engine().config());
  EXPECT_NE(text.find("round 1: USDC at 10/3 per unit"), std::string::npos) << text;
  EXPECT_NE(text.find("jurisdiction CN: 2 holders, 1300.00 FTXCLAIM"), std::string::npos) << text;
  EXPECT_FALSE(estate_report(ex.engine(), 9).is_ok());
}

TEST_F(Distributions, TheDistributionKindsAre26To28AndRoundTrip) {
  const std::string bytes = signing_bytes(CommandBody{PayDistribution{kFtx, 1}});
  // Kind 25 is PublishLiabilitiesRoot; the distribution kinds are 26, 27 and 28.
  EXPECT_EQ(CommandBody{PublishLiabilitiesRoot{}}.index(), 25u);
  EXPECT_EQ(static_cast<uint8_t>(bytes[kCommandDomainTag.size()]), 27);
  EXPECT_EQ(CommandBody{DeclareDistribution{}}.index(), 26u);
  EXPECT_EQ(CommandBody{ReleaseEscrow{}}.index(), 28u);
  const auto round_trip = decode_body(signing_bytes(CommandBody{DeclareDistribution{kFtx, 3, 17, USDC, 5, 7, 99}}));
  ASSERT_TRUE(round_trip.is_ok());
  const auto& d = std::get<DeclareDistribution>(round_trip.value());
  EXPECT_EQ(d.round, 3u);
  EXPECT_EQ(d.account, 17u);
  EXPECT_EQ(d.rate_numerator, 5u);
  EXPECT_EQ(d.rate_denominator, 7u);
  EXPECT_EQ(d.record_seq, 99u);
}

}  // namespace
}  // namespace glassbook::engine::testing
