// A gateway rig whose exchange has two estates and FTX's claim market (FTXCLAIM_USDC), where alice,
// a creditor with 1,000 USD of FTX claims, sells to bob, an eligible buyer: two fills, so two
// transfer records in the journal.
#pragma once
#include "../engine/claims_fixture.h"
#include "gateway_rig.h"

namespace glassbook::api::testing {

class ClaimsRig : public GatewayRig {
 public:
  ClaimsRig()
      : GatewayRig([](engine::ExchangeConfig& c) {
          engine::testing::add_estates(c);
          engine::testing::add_claim_market(c);
        }) {
    using namespace engine::testing;
    market_ = static_cast<MarketId>(view_->config()->markets.size() - 1);
    const crypto::Digest hash = legacy_hash("alice@example.com");
    alice_id_ = *view_->account_of(alice_.public_key());
    bob_id_ = *view_->account_of(bob_.public_key());
    submit_native(ClaimsExchange::agent(kFtx), engine::AttestClaim{kFtx, 1, 1, 1'000'00, engine::ClaimStatus::Allowed, hash});
    const Timestamp now = kNow * 1000;
    submit_native(ClaimsExchange::provider(kFtx), engine::AttestKyc{kFtx, alice_id_, 1, "US", now - 1, now + 3'600'000'000});
    submit_native(ClaimsExchange::provider(kFtx), engine::AttestKyc{kFtx, bob_id_, 2, "FR", now - 1, now + 3'600'000'000});
    const std::string bytes = engine::claim_link_bytes("FTX Trading Ltd.", 1, alice_id_, alice_.public_key(), hash);
    submit_native(alice_, engine::LinkClaim{alice_id_, kFtx, 1, hash, ClaimsExchange::agent(kFtx).sign(bytes)});
    trade(350, 360, 100);  // 100 USD of face at 0.350 USDC
    trade(340, 340, 50);   // 50 more at 0.340
  }

  // alice offers `usd` of face at `ask` thousandths of a USDC, bob bids `bid`: one fill at the ask.
  void trade(int64_t ask, int64_t bid, int64_t usd) {
    using namespace engine::testing;
    submit_native(alice_, order(alice_id_, book::Side::Sell, ask, usd));
    submit_native(bob_, order(bob_id_, book::Side::Buy, bid, usd));
  }
  engine::PlaceOrder order(AccountId account, book::Side side, int64_t thousandths, int64_t usd) const {
    engine::PlaceOrder p;
    p.account = account;
    p.market = market_;
    p.side = side;
    p.price = thousandths * engine::testing::kClaimTick;
    p.quantity = usd * engine::testing::kClaimLot;
    return p;
  }

  MarketId market_ = 0;
  AccountId alice_id_ = 0;
  AccountId bob_id_ = 0;
};

}  // namespace glassbook::api::testing
