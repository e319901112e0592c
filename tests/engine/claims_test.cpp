// Bankruptcy claims: attested claim records, linking by the creditor, KYC attestations and the claim
// units the ledger issues against the estate's issuer; every refusal changes nothing.
#include <gtest/gtest.h>

#include "claims_fixture.h"

namespace glassbook::engine::testing {
namespace {

class Claims : public ::testing::Test {
 protected:
  Claims() {
    ex.check_invariants_always();
    ex.open("alice");
    ex.open("bob");
  }


  const crypto::Digest alice_hash = legacy_hash("alice@example.com");
  const crypto::Digest bob_hash = legacy_hash("bob@example.com");
  ClaimsExchange ex;
};

TEST_F(Claims, AnAllowedLinkedClaimIsCreditedAgainstTheIssuer) {
  ASSERT_EQ(rejection(ex.attest(1, 1, 125'000'00, ClaimStatus::Allowed, alice_hash)), Error::Ok);
  EXPECT_EQ(ex.issuer_balance(FTXC), 0) << "an unlinked claim backs no units";
  ASSERT_EQ(rejection(ex.kyc("alice")), Error::Ok);
  const auto ev = ex.link("alice", 1, alice_hash);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].kind, EventKind::ClaimLinked);
  EXPECT_EQ(ev[0].account, ex.id("alice"));
  EXPECT_EQ(ev[1].kind, EventKind::ClaimUnitsIssued);
  EXPECT_EQ(ev[1].quantity, 125'000'00);
  EXPECT_EQ(ev[1].asset, FTXC);
  EXPECT_EQ(ex.balance("alice", FTXC).total, 125'000'00);
  EXPECT_EQ(ex.issuer_balance(FTXC), -125'000'00);
  EXPECT_EQ(ex.outstanding(kFtx), 125'000'00);
  EXPECT_EQ(ex.engine().claims().estate(kFtx).claims.at(1).holder, ex.id("alice"));
}

TEST_F(Claims, AScheduledClaimIsCreditedWhenAllowedAndTakenBackWhenDisputedOrExpunged) {
  ex.attest(7, 1, 500'00, ClaimStatus::Scheduled, alice_hash);
  ex.kyc("alice");
  ASSERT_EQ(of_kind(ex.link("alice", 7, alice_hash), EventKind::ClaimUnitsIssued).size(), 0u);
  EXPECT_EQ(ex.balance("alice", FTXC).total, 0);

  auto ev = ex.attest(7, 2, 400'00, ClaimStatus::Allowed, alice_hash);  // allowed for less than scheduled
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].kind, EventKind::ClaimAttested);
  EXPECT_EQ(ev[0].account, ex.id("alice"));
  EXPECT_EQ(ev[1].quantity, 400'00);
  EXPECT_EQ(ex.balance("alice", FTXC).total, 400'00);

  ev = ex.attest(7, 3, 450'00, ClaimStatus::Allowed, alice_hash);  // an amended allowance
  EXPECT_EQ(of_kind(ev, EventKind::ClaimUnitsIssued).at(0).quantity, 50'00);
  EXPECT_EQ(ex.issuer_balance(FTXC), -450'00);

  ev = ex.attest(7, 4, 450'00, ClaimStatus::Disputed, alice_hash);
  EXPECT_EQ(of_kind(ev, EventKind::ClaimUnitsIssued).at(0).quantity, -450'00);
  EXPECT_EQ(ex.balance("alice", FTXC).total, 0);
  EXPECT_EQ(ex.issuer_balance(FTXC), 0);

  ex.attest(7, 5, 450'00, ClaimStatus::Allowed, alice_hash);
  EXPECT_EQ(ex.balance("alice", FTXC).total, 450'00);
  ex.attest(7, 6, 0, ClaimStatus::Expunged, alice_hash);
  EXPECT_EQ(ex.balance("alice", FTXC).total, 0);
  EXPECT_EQ(ex.outstanding(kFtx), 0);
}

TEST_F(Claims, EachEstateIssuesItsOwnUnits) {
  ex.attest(1, 1, 100'00, ClaimStatus::Allowed, alice_hash, kFtx);
  ex.attest(1, 1, 70'00, ClaimStatus::Allowed, alice_hash, kCelsius);
  ex.kyc("alice", 2, "FR", 3'600'000'000, kFtx);
  ex.kyc("alice", 2, "FR", 3'600'000'000, kCelsius);
  ASSERT_EQ(rejection(ex.link("alice", 1, alice_hash, kFtx)), Error::Ok);
  ASSERT_EQ(rejection(ex.link("alice", 1, alice_hash, kCelsius)), Error::Ok);
  EXPECT_EQ(ex.balance("alice", FTXC).total, 100'00);
  EXPECT_EQ(ex.balance("alice", CELC).total, 70'00);
  EXPECT_EQ(ex.issuer_balance(FTXC), -100'00);
  EXPECT_EQ(ex.issuer_balance(CELC), -70'00);
}

TEST_F(Claims, AClaimAttestedByAnotherKeyIsRefused) {
  ex.open("mallory");
  ex.expect_refused(Error::Unauthorized, "claims agent", [&] {
    return ex.run(ex.key("mallory"), AttestClaim{kFtx, 1, 1, 100'00, ClaimStatus::Allowed, alice_hash});
  });
  // Another estate's agent is another key.
  ex.expect_refused(Error::Unauthorized, "claims agent", [&] {
    return ex.run(ClaimsExchange::agent(kCelsius), AttestClaim{kFtx, 1, 1, 100'00, ClaimStatus::Allowed, alice_hash});
  });
}

TEST_F(Claims, AttestationsApplyOnceAndInOrder) {
  ASSERT_EQ(rejection(ex.attest(1, 1, 100'00, ClaimStatus::Allowed, alice_hash)), Error::Ok);
  ASSERT_EQ(rejection(ex.attest(1, 2, 100'00, ClaimStatus::Disputed, alice_hash)), Error::Ok);
  // The captured revision 1 (allowed) cannot come back to undo the dispute, nor can a revision be skipped.
  ex.expect_refused(Error::InvalidArgument, "revision 1 where 3 is next", [&] { return ex.attest(1, 1, 100'00, ClaimStatus::Allowed, alice_hash); });
  ex.expect_refused(Error::InvalidArgument, "revision 4 where 3 is next", [&] { return ex.attest(1, 4, 100'00, ClaimStatus::Allowed, alice_hash); });
  ex.expect_refused(Error::InvalidArgument, "revision 2 where 1 is next", [&] { return ex.attest(2, 2, 100'00, ClaimStatus::Allowed, bob_hash); });
  ex.expect_refused(Error::InvalidQuantity, "negative", [&] { return ex.attest(2, 1, -1, ClaimStatus::Allowed, bob_hash); });
}

TEST_F(Claims, AClaimLinksOnce) {
  ex.attest(1, 1, 100'00, ClaimStatus::Allowed, alice_hash);
  ex.kyc("alice");
  ex.kyc("bob");
  ASSERT_EQ(rejection(ex.link("alice", 1, alice_hash)), Error::Ok);
  ex.expect_refused(Error::InvalidArgument, "already linked", [&] { return ex.link("alice", 1, alice_hash); });
  // Even with a valid attestation for another account, the claim stays with its first creditor.
  ex.expect_refused(Error::InvalidArgument, "already linked", [&] { return ex.link("bob", 1, alice_hash); });
  // Nor can the agent move a linked claim to another identifier.
  ex.expect_refused(Error::InvalidArgument, "cannot change", [&] { return ex.attest(1, 2, 100'00, ClaimStatus::Allowed, bob_hash); });
  EXPECT_EQ(ex.balance("alice", FTXC).total, 100'00);
  EXPECT_EQ(ex.balance("bob", FTXC).total, 0);
}

TEST_F(Claims, AMismatchedLegacyHashIsRefused) {
  ex.attest(1, 1, 100'00, ClaimStatus::Allowed, alice_hash);
  ex.kyc("bob");
  // Bob holds a genuine attestation over his own identifier, which is not this claim's.
  ex.expect_refused(Error::InvalidArgument, "does not match", [&] { return ex.link("bob", 1, bob_hash); });
  // A differently salted or normalized identifier is another hash too.
  ex.kyc("alice");
  const auto unsalted = legacy_hash("Alice@Example.com");
  ex.expect_refused(Error::InvalidArgument, "does not match", [&] { return ex.link("alice", 1, unsalted); });
}

TEST_F(Claims, AnAgentSignatureOverOtherDataOrByAnotherKeyIsRefused) {
  ex.attest(1, 1, 100'00, ClaimStatus::Allowed, alice_hash);
  ex.attest(2, 1, 100'00, ClaimStatus::Allowed, alice_hash);
  ex.attest(1, 1, 100'00, ClaimStatus::Allowed, alice_hash, kCelsius);
  ex.kyc("alice");
  ex.kyc("bob");
  const std::string why = "does not verify";
  // Signed for claim 2, presented for claim 1.
  ex.expect_refused(Error::InvalidSignature, why, [&] { return ex.link("alice", 1, alice_hash, ex.link_signature("alice", 2, alice_hash)); });
  // Signed for bob, presented by alice; signed for alice, presented by bob (whose hash matches too).
  ex.expect_refused(Error::InvalidSignature, why, [&] { return ex.link("alice", 1, alice_hash, ex.link_signature("bob", 1, alice_hash)); });
  ex.expect_refused(Error::InvalidSignature, why, [&] { return ex.link("bob", 1, alice_hash, ex.link_signature("alice", 1, alice_hash)); });
  // Signed by the Celsius agent for its own estate's claim 1, presented to FTX.
  ex.expect_refused(Error::InvalidSignature, why,
                 [&] { return ex.link("alice", 1, alice_hash, ex.link_signature("alice", 1, alice_hash, kCelsius)); });
  // Over FTX's bytes, but by the Celsius agent's key.
  const auto celsius = ClaimsExchange::agent(kCelsius);
  ex.expect_refused(Error::InvalidSignature, why,
                 [&] { return ex.link("alice", 1, alice_hash, ex.link_signature("alice", 1, alice_hash, kFtx, &celsius)); });
  // A signature with one bit flipped.
  auto sig = ex.link_signature("alice", 1, alice_hash);
  sig[5] ^= 1;
  ex.expect_refused(Error::InvalidSignature, why, [&] { return ex.link("alice", 1, alice_hash, sig); });
  EXPECT_EQ(ex.outstanding(kFtx), 0);
}

TEST_F(Claims, ALinkIsSignedByTheAccountItNames) {
  ex.attest(1, 1, 100'00, ClaimStatus::Allowed, alice_hash);
  ex.kyc("alice");
  ex.expect_refused(Error::Unauthorized, "account's key", [&] {
    return ex.run(ex.key("bob"), LinkClaim{ex.id("alice"), kFtx, 1, alice_hash, ex.link_signature("alice", 1, alice_hash)});
  });
}

TEST_F(Claims, AnUnknownEstateOrClaimIsRefused) {
  ex.kyc("alice");
  ex.expect_refused(Error::InvalidArgument, "unknown estate 2", [&] { return ex.attest(1, 1, 100'00, ClaimStatus::Allowed, alice_hash, 2); });
  ex.expect_refused(Error::InvalidArgument, "unknown estate 9", [&] {
    return ex.run(ex.key("alice"), LinkClaim{ex.id("alice"), 9, 1, alice_hash, crypto::Signature{}});
  });
  ex.expect_refused(Error::InvalidArgument, "unknown estate 2",
                 [&] { return ex.run(ClaimsExchange::provider(kFtx), AttestKyc{2, ex.id("alice"), 2, "FR", ex.now(), ex.now() + 1'000'000}); });
  ex.expect_refused(Error::InvalidArgument, "has no claim 5", [&] { return ex.link("alice", 5, alice_hash); });
  ex.attest(6, 1, 100'00, ClaimStatus::Expunged, alice_hash);
  ex.expect_refused(Error::InvalidArgument, "expunged", [&] { return ex.link("alice", 6, alice_hash); });
}

TEST_F(Claims, LinkingNeedsAValidKycAttestation) {
  ex.attest(1, 1, 100'00, ClaimStatus::Allowed, alice_hash);
  ex.expect_refused(Error::Unauthorized, "no KYC attestation", [&] { return ex.link("alice", 1, alice_hash); });
  // A KYC attestation for another estate does not count.
  ex.kyc("alice", 2, "FR", 3'600'000'000, kCelsius);
  ex.expect_refused(Error::Unauthorized, "no KYC attestation", [&] { return ex.link("alice", 1, alice_hash); });
  ASSERT_EQ(rejection(ex.kyc("alice", 2, "FR", 1'000'000)), Error::Ok);  // valid for one second
  ex.advance(2'000'000);
  ex.expect_refused(Error::Expired, "expired at", [&] { return ex.link("alice", 1, alice_hash); });
  ASSERT_EQ(rejection(ex.kyc("alice", 2, "FR", 1'000'000)), Error::Ok);  // renewed
  EXPECT_EQ(rejection(ex.link("alice", 1, alice_hash)), Error::Ok);
}

TEST_F(Claims, KycAttestationsComeFromTheEstatesProvidersAndAreChecked) {
  ex.open("mallory");
  const AccountId alice = ex.id("alice");
  ex.expect_refused(Error::Unauthorized, "KYC providers",
                 [&] { return ex.run(ex.key("mallory"), AttestKyc{kFtx, alice, 2, "FR", ex.now(), ex.now() + 1'000'000}); });
  // Celsius's provider is not FTX's.
  ex.expect_refused(Error::Unauthorized, "KYC providers", [&] {
    return ex.run(ClaimsExchange::provider(kCelsius), AttestKyc{kFtx, alice, 2, "FR", ex.now(), ex.now() + 1'000'000});
  });
  const auto provider = ClaimsExchange::provider(kFtx);
  ex.expect_refused(Error::Expired, "expired", [&] { return ex.run(provider, AttestKyc{kFtx, alice, 2, "FR", ex.now() - 10, ex.now()}); });
  ex.expect_refused(Error::InvalidArgument, "level 0", [&] { return ex.run(provider, AttestKyc{kFtx, alice, 0, "FR", ex.now(), ex.now() + 1'000'000}); });
  ex.expect_refused(Error::InvalidArgument, "'fr'", [&] { return ex.run(provider, AttestKyc{kFtx, alice, 2, "fr", ex.now(), ex.now() + 1'000'000}); });
  ex.expect_refused(Error::InvalidArgument, "'F'", [&] { return ex.run(provider, AttestKyc{kFtx, alice, 2, "F", ex.now(), ex.now() + 1'000'000}); });
  ex.expect_refused(Error::UnknownAccount, "unknown account", [&] { return ex.run(provider, AttestKyc{kFtx, 999, 2, "FR", ex.now(), ex.now() + 1'000'000}); });
  // The second provider may attest too; an attestation not newer than the one kept is refused.
  const Timestamp issued = ex.now();
  ASSERT_EQ(rejection(ex.run(claims_key("kyc-2"), AttestKyc{kFtx, alice, 3, "CN", issued, issued + 1'000'000})), Error::Ok);
  ex.expect_refused(Error::InvalidArgument, "not newer", [&] { return ex.run(provider, AttestKyc{kFtx, alice, 1, "FR", issued, issued + 9'000'000}); });
  const KycRecord& kept = ex.engine().claims().estate(kFtx).kyc.at(alice);
  EXPECT_EQ(kept.level, 3);
  EXPECT_EQ(kept.jurisdiction, "CN");
  EXPECT_EQ(kept.provider, claims_key("kyc-2").public_key());
}

TEST_F(Claims, TheRegistryIsInTheSnapshotAndTheStateRoot) {
  const crypto::Digest empty = ex.engine().state_root();
  ex.attest(1, 1, 100'00, ClaimStatus::Allowed, alice_hash);
  EXPECT_NE(ex.engine().state_root(), empty) << "a claim record is state";
  ex.kyc("alice");
  ex.link("alice", 1, alice_hash);
  const std::string bytes = ex.engine().snapshot();
  auto restored = Engine::restore(bytes);
  ASSERT_TRUE(restored.is_ok()) << restored.status().to_string();
  EXPECT_EQ(restored.value()->snapshot(), bytes);
  EXPECT_EQ(restored.value()->state_root(), ex.engine().state_root());
  EXPECT_EQ(restored.value()->claims().estate(kFtx), ex.engine().claims().estate(kFtx));
  // A registry whose holder is unknown, or whose units differ from the ledger's, is refused.
  const std::string holder = std::string(reinterpret_cast<const char*>(alice_hash.data()), 32);
  const size_t at = bytes.rfind(holder);
  ASSERT_NE(at, std::string::npos);
  std::string unknown = bytes;
  unknown[at + 32] = 99;  // holder account 99 (little-endian low byte)
  auto refused = Engine::restore(unknown);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("not a customer's own"), std::string::npos) << refused.status().message();
  std::string disputed = bytes;
  disputed[at - 5] = static_cast<char>(ClaimStatus::Disputed);  // the status byte before the u32 revision
  refused = Engine::restore(disputed);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("issuer's balance"), std::string::npos) << refused.status().message();
}

TEST_F(Claims, ClaimUnitsCannotBeDeposited) {
  ex.expect_refused(Error::InvalidArgument, "cannot be deposited", [&] { return ex.deposit("alice", FTXC, 100'00); });
}

TEST_F(Claims, ClaimUnitsCannotBeWithdrawnEvenToAnAllowListedAddress) {
  ex.attest(1, 1, 500'00, ClaimStatus::Allowed, alice_hash);
  ex.kyc("alice");
  ex.link("alice", 1, alice_hash);
  ASSERT_EQ(ex.balance("alice", FTXC).total, 500'00);
  ASSERT_EQ(rejection(ex.run(ex.key("alice"), AddWithdrawalAddress{ex.id("alice"), "0xcreditor"})), Error::Ok);
  ex.expect_refused(Error::InvalidArgument, "asset FTXCLAIM is an estate's claim units: it cannot be withdrawn", [&] {
    RequestWithdrawal w;
    w.account = ex.id("alice");
    w.asset = FTXC;
    w.amount = 100'00;
    w.address = "0xcreditor";
    w.blockchain = "ethereum";
    return ex.run(ex.key("alice"), w);
  });
  EXPECT_EQ(ex.balance("alice", FTXC).held, 0);
}

}  // namespace
}  // namespace glassbook::engine::testing
