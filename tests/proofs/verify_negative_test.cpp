// Each way an inclusion proof or a root can be wrong is refused with its own error.
#include <gtest/gtest.h>

#include "proof_fixture.h"
#include "proofs/proof_json.h"
#include "proofs/verify.h"

namespace glassbook::proofs {
namespace {

class VerifyNegative : public ::testing::Test {
 protected:
  void SetUp() override {
    s = testing::signed_tree(testing::random_table(50, 3, 11));
    // An account with something in every asset, so that its sums can be pushed to wrap.
    for (AccountId a : s.table.accounts) {
      auto p = *s.tree->proof(a);
      if (p.values[0] > 0 && p.values[1] > 0 && p.values[2] > 0) {
        proof = p;
        break;
      }
    }
    ASSERT_TRUE(verify_inclusion(proof, s.root).ok());
  }
  ProofError check() { return verify_inclusion(proof, s.root, testing::exchange_key().public_key()).code; }
  // The proof's JSON with one member's value replaced by `value` (raw JSON text).
  std::string proof_json_with(const std::string& member, const std::string& value) {
    std::string json = proof_to_json(proof);
    const std::string key = "\"" + member + "\":";
    const size_t at = json.find(key) + key.size();
    size_t end = at;
    if (json[at] == '[') {
      end = json.find(']', at) + 1;
    } else {
      end = json.find('"', at + 1) + 1;
    }
    return json.replace(at, end - at, value);
  }
  ProofError parse(const std::string& json) {
    InclusionProof p;
    return proof_from_json(json, p).code;
  }
  // The root's two children's sums: the top step's sibling and the rest.
  std::pair<std::vector<U128>, std::vector<U128>> children_sums() const {
    std::vector<U128> sibling = proof.path.back().sums, own(sibling.size());
    for (size_t x = 0; x < own.size(); ++x) own[x] = s.root.sums[x] - sibling[x];
    return {own, sibling};
  }

  testing::SignedTree s;
  InclusionProof proof;
};

TEST_F(VerifyNegative, ARootWhoseSumIsTheMaxOfItsChildrenNotTheirSum) {
  auto [own, sibling] = children_sums();
  for (size_t x = 0; x < own.size(); ++x) s.root.sums[x] = std::max(own[x], sibling[x]);
  sign_root(s.root, testing::exchange_key());  // the exchange itself signs the forged total
  EXPECT_EQ(check(), ProofError::SumNotChildrenSum);
}

TEST_F(VerifyNegative, ANegativeValue) {
  EXPECT_EQ(parse(proof_json_with("values", R"(["-1","2","3"])")), ProofError::NegativeValue);
  EXPECT_EQ(parse(proof_json_with("values", R"(["-0","2","3"])")), ProofError::NegativeValue);
}

TEST_F(VerifyNegative, AValueOver2To64) {
  EXPECT_EQ(parse(proof_json_with("values", R"(["18446744073709551616","2","3"])")), ProofError::ValueOutOfRange);
  EXPECT_EQ(parse(proof_json_with("values", R"(["18446744073709551615","2","3"])")), ProofError::Ok);
  // A sibling leaf's value above 2^64 - 1 (a sum is only range-checked against 2^128 when parsed).
  proof.path[0].sums[0] = U128{1} << 64;
  EXPECT_EQ(check(), ProofError::ValueOutOfRange);
}

TEST_F(VerifyNegative, ASumThatWraps2To128) {
  proof.path[1].sums[0] = ~U128{0};
  EXPECT_EQ(check(), ProofError::SumOverflow);
  std::string json = proof_to_json(proof);
  const std::string max = "340282366920938463463374607431768211455";
  ASSERT_NE(json.find(max), std::string::npos);
  EXPECT_EQ(parse(json), ProofError::Ok);
  json.replace(json.find(max), max.size(), "340282366920938463463374607431768211456");  // 2^128
  EXPECT_EQ(parse(json), ProofError::ValueOutOfRange);
}

TEST_F(VerifyNegative, NumbersThatAreNotStrings) {
  EXPECT_EQ(parse(proof_json_with("index", "5")), ProofError::NotAString);
  EXPECT_EQ(parse(proof_json_with("values", "[1,2,3]")), ProofError::NotAString);
  EXPECT_EQ(parse(proof_json_with("depth", "6.0")), ProofError::NotAString);
}

TEST_F(VerifyNegative, NumbersThatAreNotCanonical) {
  for (const char* bad : {R"("007")", R"("+7")", R"("7.0")", R"("7e0")", R"(" 7")", R"("")", R"("0x7")"})
    EXPECT_EQ(parse(proof_json_with("index", bad)), ProofError::NonCanonicalNumber) << bad;
  EXPECT_EQ(parse(proof_json_with("values", R"(["01","2","3"])")), ProofError::NonCanonicalNumber);
}

TEST_F(VerifyNegative, AnInternalNodePresentedAsALeaf) {
  // The leaf's parent (a node of height 1) in place of the leaf, the rest of the path unchanged.
  const std::vector<U128> own(proof.values.begin(), proof.values.end());
  const bool right = (proof.index & 1) != 0;
  proof.leaf_hash = right ? node_hash(1, proof.path[0].hash, proof.path[0].sums, proof.leaf_hash, own)
                          : node_hash(1, proof.leaf_hash, own, proof.path[0].hash, proof.path[0].sums);
  EXPECT_EQ(check(), ProofError::LeafHashMismatch);
}

TEST_F(VerifyNegative, APathOfTheWrongLength) {
  auto shorter = proof;
  shorter.path.pop_back();
  EXPECT_EQ(verify_inclusion(shorter, s.root).code, ProofError::PathLength);
  proof.path.push_back(proof.path.back());
  EXPECT_EQ(check(), ProofError::PathLength);
}

TEST_F(VerifyNegative, AnIndexOutOfRange) {
  proof.index = uint64_t{1} << s.root.depth;
  EXPECT_EQ(check(), ProofError::IndexOutOfRange);
}

TEST_F(VerifyNegative, AUserCommitmentThatDoesNotMatchTheAccountAndItsKey) {
  auto other_key = proof;
  other_key.user_key[0] ^= 1;
  EXPECT_EQ(verify_inclusion(other_key, s.root).code, ProofError::UserCommitmentMismatch);
  proof.account += 1;  // another account claiming this leaf
  EXPECT_EQ(check(), ProofError::UserCommitmentMismatch);
}

TEST_F(VerifyNegative, ARootThatIsNotTheSignedOne) {
  auto altered = s.root;
  altered.sums[0] += 1;  // not signed again
  EXPECT_EQ(verify_inclusion(proof, altered).code, ProofError::RootNotSigned);
  auto other_signer = s.root;
  sign_root(other_signer, crypto::KeyPair::from_seed(crypto::seed_from_label("someone else")));
  EXPECT_EQ(verify_inclusion(proof, other_signer, testing::exchange_key().public_key()).code, ProofError::WrongExchangeKey);
  // A proof from another snapshot's tree, checked against this root.
  auto other = testing::signed_tree(testing::random_table(50, 3, 12));
  EXPECT_EQ(verify_inclusion(*other.tree->proof(16), s.root).code, ProofError::RootMismatch);
}

TEST_F(VerifyNegative, ATamperedSiblingOrValue) {
  auto sibling = proof;
  sibling.path[2].hash[5] ^= 0x40;
  EXPECT_EQ(verify_inclusion(sibling, s.root).code, ProofError::RootHashMismatch);
  proof.values[1] += 1;  // the leaf hash given no longer matches the data
  EXPECT_EQ(check(), ProofError::LeafHashMismatch);
}

TEST_F(VerifyNegative, JsonRoundTripsAndVerifies) {
  InclusionProof p;
  LiabilitiesRoot r;
  ASSERT_TRUE(proof_from_json(proof_to_json(proof), p).ok());
  ASSERT_TRUE(root_from_json(root_to_json(s.root), r).ok());
  EXPECT_EQ(proof_to_json(p), proof_to_json(proof));
  EXPECT_EQ(root_to_json(r), root_to_json(s.root));
  EXPECT_TRUE(verify_inclusion(p, r, testing::exchange_key().public_key()).ok());
  EXPECT_EQ(parse("not json"), ProofError::Malformed);
  EXPECT_EQ(parse(proof_json_with("uc", R"("abc")")), ProofError::Malformed);
  EXPECT_EQ(parse(proof_json_with("version", R"("2")")), ProofError::UnsupportedVersion);
}

}  // namespace
}  // namespace glassbook::proofs
