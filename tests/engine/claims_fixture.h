// Test fixture for bankruptcy claims: the demo exchange with two estates (their claim assets, claims
// agents and KYC providers) and helpers that attest claims and KYC and link claims as a creditor would.
#pragma once
#include <gtest/gtest.h>

#include <string>

#include "crypto/sha256.h"
#include "engine/claims_registry.h"
#include "exchange_fixture.h"

namespace glassbook::engine::testing {

inline constexpr AssetId FTXC = 3, CELC = 4;  // the two estates' claim assets (cents of face value)
inline constexpr uint16_t kFtx = 0, kCelsius = 1;

inline crypto::KeyPair claims_key(const std::string& label) {
  return crypto::KeyPair::from_seed(crypto::seed_from_label("test/claims/" + label));
}

// Two estates: FTX (USD claims, paid in USDC, payouts barred to CN, buyers barred from KP, KYC
// level 2 to buy) and Celsius (its own agent and provider).
inline void add_estates(ExchangeConfig& c) {
  c.assets.push_back({"FTXCLAIM", 2});
  c.assets.push_back({"CELCLAIM", 2});
  EstateConfig ftx;
  ftx.name = "FTX Trading Ltd.";
  ftx.claim_unit = "USD";
  ftx.claim_asset = FTXC;
  ftx.payout_assets = {USDC};
  ftx.claims_agent = claims_key("ftx-agent").public_key();
  ftx.kyc_providers = {claims_key("kyc-1").public_key(), claims_key("kyc-2").public_key()};
  ftx.barred_jurisdictions = {"CN", "RU"};
  ftx.transfer_rules = TransferRules{2, {"KP"}};
  EstateConfig celsius = ftx;
  celsius.name = "Celsius Network LLC";
  celsius.claim_asset = CELC;
  celsius.claims_agent = claims_key("celsius-agent").public_key();
  celsius.kyc_providers = {claims_key("kyc-3").public_key()};
  celsius.barred_jurisdictions = {};
  celsius.transfer_rules = {};
  c.estates = {ftx, celsius};
}

// FTX's claim market, FTXCLAIM_USDC: the price of one whole claim unit (1 USD of face) in USDC, tick
// 0.001 USDC, lot 1.00 USD of face, no fees (a claim market charges none). Returns its market id.
inline constexpr int64_t kClaimTick = 1'000;  // 0.001 USDC
inline constexpr int64_t kClaimLot = 100;     // 1.00 USD of face, in claim units (cents)
inline MarketId add_claim_market(ExchangeConfig& c) {
  MarketConfig m;
  m.symbol = "FTXCLAIM_USDC";
  m.base = FTXC;
  m.quote = USDC;
  m.tick_size = kClaimTick;
  m.lot_size = kClaimLot;
  m.min_quantity = kClaimLot;
  m.max_price = 2 * kUsdc;
  c.markets.push_back(m);
  return static_cast<MarketId>(c.markets.size() - 1);
}

// The salted hash of a normalized e-mail address, as the claims agent keeps it.
inline crypto::Digest legacy_hash(const std::string& email, const std::string& salt = "salt-2022") {
  return crypto::sha256(salt + ":" + email);
}

class ClaimsExchange : public Exchange {
 public:
  ClaimsExchange() : Exchange(add_estates) {}
  // The two estates, then `more` (another payout asset...).
  explicit ClaimsExchange(const std::function<void(ExchangeConfig&)>& more)
      : Exchange([more](ExchangeConfig& c) {
          add_estates(c);
          more(c);
        }) {}

  static crypto::KeyPair agent(uint16_t estate) { return claims_key(estate == kFtx ? "ftx-agent" : "celsius-agent"); }
  static crypto::KeyPair provider(uint16_t estate) { return claims_key(estate == kFtx ? "kyc-1" : "kyc-3"); }
  const EstateConfig& estate(uint16_t e) { return engine().config().estates[e]; }

  std::vector<Event> attest(uint64_t claim, uint32_t revision, int64_t face, ClaimStatus status, const crypto::Digest& hash,
                            uint16_t estate = kFtx) {
    return run(agent(estate), AttestClaim{estate, claim, revision, face, status, hash});
  }
  std::vector<Event> kyc(const std::string& name, uint8_t level = 2, std::string jurisdiction = "FR", Timestamp lasts = 3'600'000'000,
                         uint16_t estate = kFtx) {
    return run(provider(estate), AttestKyc{estate, id(name), level, std::move(jurisdiction), now(), now() + lasts});
  }
  // The agent's attestation that `name` controls the identifier behind `hash` for `claim`.
  crypto::Signature link_signature(const std::string& name, uint64_t claim, const crypto::Digest& hash, uint16_t estate = kFtx,
                                   const crypto::KeyPair* signer = nullptr) {
    const std::string bytes = claim_link_bytes(this->estate(estate).name, claim, id(name), key(name).public_key(), hash);
    return (signer != nullptr ? *signer : agent(estate)).sign(bytes);
  }
  std::vector<Event> link(const std::string& name, uint64_t claim, const crypto::Digest& hash, const crypto::Signature& sig,
                          uint16_t estate = kFtx) {
    return run(key(name), LinkClaim{id(name), estate, claim, hash, sig});
  }
  // A creditor with KYC who links `claim` with the agent's attestation.
  std::vector<Event> link(const std::string& name, uint64_t claim, const crypto::Digest& hash, uint16_t estate = kFtx) {
    return link(name, claim, hash, link_signature(name, claim, hash, estate), estate);
  }
  // Applies a command that must be refused with `code` and a message naming `why`, and checks that
  // it changed nothing: the state root is the one before.
  template <class F>
  void expect_refused(Error code, const std::string& why, F&& command) {
    const crypto::Digest before = engine().state_root();
    const std::vector<Event> ev = command();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].kind, EventKind::Rejected);
    EXPECT_EQ(ev[0].error, code) << ev[0].message;
    EXPECT_NE(ev[0].message.find(why), std::string::npos) << ev[0].message;
    EXPECT_EQ(engine().state_root(), before) << "a refused command changed the state: " << ev[0].message;
  }
  int64_t issuer_balance(AssetId asset) { return engine().ledger().balance(kClaimsIssuerAccount, asset).total; }
  int64_t outstanding(uint16_t estate) { return engine().claims().estate(estate).outstanding; }
};

}  // namespace glassbook::engine::testing
