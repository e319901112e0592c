// Proof text formats: golden texts, RFC 6962 vectors and forgeries through the text layer, strict parsing.
#include "journal/proof_format.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/merkle.h"

namespace glassbook::journal {
namespace {

crypto::Digest digest_of_hex(std::string_view hex) {
  crypto::Digest d{};
  EXPECT_EQ(hex.size(), 64u);
  for (size_t i = 0; i < 32; ++i) d[i] = static_cast<uint8_t>(std::stoi(std::string(hex.substr(2 * i, 2)), nullptr, 16));
  return d;
}

std::vector<uint8_t> bytes_of_hex(std::string_view hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

// RFC 6962 reference data (transparency-dev/merkle testonly/constants.go and proof/verify_test.go).
const std::vector<std::string_view> kLeafHex = {
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
const std::vector<std::string_view> kRootHex = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

crypto::Digest leaf_hash(size_t i) { return crypto::leaf_hash(bytes_of_hex(kLeafHex[i])); }

Checkpoint rfc_checkpoint(uint64_t size, std::string_view origin = "glassbook.example/rfc6962") {
  Checkpoint cp;
  cp.origin = std::string(origin);
  cp.tree_size = size;
  cp.root = digest_of_hex(kRootHex[size]);
  cp.state_root = crypto::sha256("state");
  return cp;
}

std::vector<crypto::Digest> digests(std::initializer_list<std::string_view> hexes) {
  std::vector<crypto::Digest> out;
  for (auto h : hexes) out.push_back(digest_of_hex(h));
  return out;
}

const std::vector<InclusionProof>& inclusion_vectors() {
  static const std::vector<InclusionProof> v = {
      {0, 1, leaf_hash(0), {}},
      {0, 8, leaf_hash(0),
       digests({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {5, 8, leaf_hash(5),
       digests({"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 3, leaf_hash(2), digests({"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"})},
      {1, 5, leaf_hash(1),
       digests({"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
  };
  return v;
}

const std::vector<ConsistencyProof>& consistency_vectors() {
  static const std::vector<ConsistencyProof> v = {
      {1, 1, {}},
      {1, 8,
       digests({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {6, 8,
       digests({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 5,
       digests({"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
      {6, 7,
       digests({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {0, 8, {}},
      {8, 8, {}},
  };
  return v;
}

void expect_invalid(const Status& s, std::string_view message_part, const std::string& context = "") {
  EXPECT_EQ(s.code(), Error::InvalidArgument) << context << ": " << s.message();
  EXPECT_NE(s.message().find(message_part), std::string::npos)
      << context << ": want '" << message_part << "' in: " << s.message();
}

// Text edits.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  for (size_t at = 0; at < text.size();) {
    const size_t nl = text.find('\n', at);
    out.push_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  return out;
}
std::string text_of(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

TEST(ProofFormat, GoldenTexts) {
  EXPECT_EQ(encode_inclusion_proof(inclusion_vectors()[2]),
            "glassbook/inclusion-proof/v1\n"
            "index 5\n"
            "tree-size 8\n"
            "leaf-hash 4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658\n"
            "proof bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b\n"
            "proof ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0\n"
            "proof d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7\n");
  EXPECT_EQ(encode_inclusion_proof(inclusion_vectors()[0]),
            "glassbook/inclusion-proof/v1\n"
            "index 0\n"
            "tree-size 1\n"
            "leaf-hash 6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d\n");
  EXPECT_EQ(encode_consistency_proof(consistency_vectors()[3]),
            "glassbook/consistency-proof/v1\n"
            "old-size 2\n"
            "new-size 5\n"
            "proof 5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e\n"
            "proof bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b\n");
  EXPECT_EQ(encode_consistency_proof({0, 0, {}}), "glassbook/consistency-proof/v1\nold-size 0\nnew-size 0\n");
}

TEST(ProofFormat, RfcVectorsVerifyThroughText) {
  crypto::MerkleLog log;
  for (auto h : kLeafHex) log.append(bytes_of_hex(h));
  for (const auto& v : inclusion_vectors()) {
    EXPECT_EQ(*log.inclusion_proof(v.index, v.tree_size), v.path);
    const std::string text = encode_inclusion_proof(v);
    EXPECT_EQ(*parse_inclusion_proof(text), v);
    const Status s = verify_inclusion_text(text, rfc_checkpoint(v.tree_size));
    EXPECT_TRUE(s.is_ok()) << s.message();
    EXPECT_TRUE(verify_inclusion_text(text, rfc_checkpoint(v.tree_size), leaf_hash(v.index)).is_ok());
  }
  for (const auto& v : consistency_vectors()) {
    EXPECT_EQ(*log.consistency_proof(v.old_size, v.new_size), v.path);
    const std::string text = encode_consistency_proof(v);
    EXPECT_EQ(*parse_consistency_proof(text), v);
    const Status s = verify_consistency_text(text, rfc_checkpoint(v.old_size), rfc_checkpoint(v.new_size));
    EXPECT_TRUE(s.is_ok()) << v.old_size << "->" << v.new_size << ": " << s.message();
  }
}

TEST(ProofFormat, ForgedInclusionProofsAreRejectedThroughText) {
  const std::string kNoRoot = "does not lead to the checkpoint's root";
  size_t probes = 0;
  for (const auto& v : inclusion_vectors()) {
    const std::string good = encode_inclusion_proof(v);
    const Checkpoint cp = rfc_checkpoint(v.tree_size);
    const std::string ctx = fmt::format("{}/{}", v.index, v.tree_size);
    auto reject = [&](const std::string& text, std::string_view why, const Checkpoint& c) {
      ++probes;
      expect_invalid(verify_inclusion_text(text, c), why, ctx + "\n" + text);
    };
    const auto lines = lines_of(good);  // tag, index, tree-size, leaf-hash, proof...
    // Wrong index: every other index in the tree (the Go suite's -1, +1 and ^2 among them).
    for (uint64_t j = 0; j < v.tree_size; ++j) {
      if (j == v.index) continue;
      auto l = lines;
      l[1] = fmt::format("index {}", j);
      reject(text_of(l), kNoRoot, cp);
    }
    // Wrong size: against this checkpoint, and against the real checkpoint of that size.
    for (uint64_t s = v.index + 1; s <= 8; ++s) {
      if (s == v.tree_size) continue;
      auto l = lines;
      l[2] = fmt::format("tree-size {}", s);
      reject(text_of(l), fmt::format("is for tree size {} but the checkpoint is for tree size {}", s, v.tree_size), cp);
      reject(text_of(l), kNoRoot, rfc_checkpoint(s));
    }
    // The proof against another tree's checkpoint (same size claimed, other root).
    for (uint64_t s = 1; s <= 8; ++s) {
      if (s == v.tree_size) continue;
      Checkpoint other = cp;
      other.root = digest_of_hex(kRootHex[s]);
      reject(good, kNoRoot, other);
    }
    // Flipped hex digit in the leaf hash and in each proof hash (each position class).
    for (size_t li = 3; li < lines.size(); ++li) {
      for (size_t pos : {0u, 31u, 63u}) {
        auto l = lines;
        char& c = l[li][l[li].find(' ') + 1 + pos];
        c = c == '0' ? '1' : '0';
        reject(text_of(l), kNoRoot, cp);
      }
    }
    // Missing, extra, repeated and swapped hashes.
    for (size_t li = 4; li < lines.size(); ++li) {
      auto l = lines;
      l.erase(l.begin() + static_cast<std::ptrdiff_t>(li));
      reject(text_of(l), kNoRoot, cp);
    }
    for (size_t li = 4; li <= lines.size(); ++li) {
      for (const std::string& extra : {"proof " + std::string(kRootHex[v.tree_size]), "proof " + std::string(64, '0'),
                                       "proof " + crypto::to_hex(v.leaf_hash)}) {
        auto l = lines;
        l.insert(l.begin() + static_cast<std::ptrdiff_t>(li), extra);
        reject(text_of(l), kNoRoot, cp);
      }
    }
    for (size_t li = 4; li + 1 < lines.size(); ++li) {
      auto l = lines;
      std::swap(l[li], l[li + 1]);
      reject(text_of(l), kNoRoot, cp);
    }
    // Another leaf's hash: the proof is then not for the record the user holds.
    for (size_t k = 0; k < 8; ++k) {
      if (k == v.index) continue;
      ++probes;
      expect_invalid(verify_inclusion_text(good, cp, leaf_hash(k)), "not the expected", ctx);
      auto l = lines;
      l[3] = "leaf-hash " + crypto::to_hex(leaf_hash(k));
      reject(text_of(l), kNoRoot, cp);
    }
  }
  EXPECT_GT(probes, 200u);
}

TEST(ProofFormat, ForgedConsistencyProofsAreRejectedThroughText) {
  const std::string kNoPrefix = "does not show the old checkpoint's tree";
  size_t probes = 0;
  for (const auto& v : consistency_vectors()) {
    const std::string good = encode_consistency_proof(v);
    const Checkpoint old_cp = rfc_checkpoint(v.old_size), new_cp = rfc_checkpoint(v.new_size);
    const std::string ctx = fmt::format("{}->{}", v.old_size, v.new_size);
    auto reject = [&](const std::string& text, std::string_view why, const Checkpoint& a, const Checkpoint& b) {
      ++probes;
      expect_invalid(verify_consistency_text(text, a, b), why, ctx + "\n" + text);
    };
    const auto lines = lines_of(good);  // tag, old-size, new-size, proof...
    // Sizes that are not the checkpoints'.
    for (uint64_t s = 0; s <= 8; ++s) {
      if (s != v.old_size && s <= v.new_size) {
        auto l = lines;
        l[1] = fmt::format("old-size {}", s);
        reject(text_of(l), "but the checkpoints are for sizes", old_cp, new_cp);
        // With that size's own checkpoint the proof is not for it (but the empty tree is a prefix of
        // any, and a tree of itself).
        if (s > 0 && s < v.new_size) reject(text_of(l), kNoPrefix, rfc_checkpoint(s), new_cp);
      }
      if (s != v.new_size && s >= v.old_size) {
        auto l = lines;
        l[2] = fmt::format("new-size {}", s);
        reject(text_of(l), "but the checkpoints are for sizes", old_cp, new_cp);
        if (v.old_size > 0) reject(text_of(l), kNoPrefix, old_cp, rfc_checkpoint(s));
      }
    }
    // Checkpoints swapped, from different logs, or with another root.
    if (v.old_size != v.new_size) reject(good, "but the checkpoints are for sizes", new_cp, old_cp);
    reject(good, "different logs", old_cp, rfc_checkpoint(v.new_size, "glassbook.example/other"));
    for (uint64_t s = 0; s <= 8; ++s) {
      if (s == v.old_size) continue;
      Checkpoint other = old_cp;
      other.root = digest_of_hex(kRootHex[s]);
      reject(good, kNoPrefix, other, new_cp);
    }
    if (v.old_size == v.new_size && v.old_size > 0) {
      Checkpoint other = new_cp;
      other.root = digest_of_hex(kRootHex[0]);
      reject(good, kNoPrefix, old_cp, other);
    }
    // Flipped, missing, extra, repeated and swapped hashes.
    for (size_t li = 3; li < lines.size(); ++li) {
      auto l = lines;
      char& c = l[li][6 + li * 7 % 64];
      c = c == 'a' ? 'b' : 'a';
      reject(text_of(l), kNoPrefix, old_cp, new_cp);
      auto m = lines;
      m.erase(m.begin() + static_cast<std::ptrdiff_t>(li));
      reject(text_of(m), kNoPrefix, old_cp, new_cp);
    }
    for (size_t li = 3; li <= lines.size(); ++li) {
      for (const std::string& extra : {"proof " + std::string(kRootHex[v.old_size]),
                                       "proof " + std::string(kRootHex[v.new_size]), "proof " + std::string(64, 'f')}) {
        auto l = lines;
        l.insert(l.begin() + static_cast<std::ptrdiff_t>(li), extra);
        reject(text_of(l), kNoPrefix, old_cp, new_cp);
      }
    }
    for (size_t li = 3; li + 1 < lines.size(); ++li) {
      auto l = lines;
      std::swap(l[li], l[li + 1]);
      reject(text_of(l), kNoPrefix, old_cp, new_cp);
    }
  }
  EXPECT_GT(probes, 150u);
}

TEST(ProofFormat, MalformedTextsAreRejectedWithAClearError) {
  const std::string good = encode_inclusion_proof(inclusion_vectors()[2]);
  const std::string hash = "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b";
  const std::string head = "glassbook/inclusion-proof/v1\nindex 5\ntree-size 8\n";
  struct Case {
    std::string text;
    std::string_view message_part;
  };
  const std::vector<Case> cases = {
      {"", "must end in a newline"},
      {good.substr(0, good.size() - 1), "must end in a newline"},
      {good + "\n", "line 8: expected 'proof <value>'"},                      // trailing blank line
      {good + "garbage\n", "line 8: expected 'proof <value>'"},               // trailing garbage
      {"\n" + good, "line 1 must be 'glassbook/inclusion-proof/v1'"},
      {"glassbook/inclusion-proof/v2\nindex 5\n", "line 1 must be"},
      {encode_consistency_proof(consistency_vectors()[2]), "this is a consistency proof"},
      {"glassbook/inclusion-proof/v1\n", "the 'index' line is missing after line 1"},
      {head, "the 'leaf-hash' line is missing after line 3"},
      {"glassbook/inclusion-proof/v1\ntree-size 8\nindex 5\nleaf-hash " + hash + "\n", "line 2: expected 'index <value>'"},
      {"glassbook/inclusion-proof/v1\nindex 05\ntree-size 8\nleaf-hash " + hash + "\n", "line 2: index '05'"},
      {"glassbook/inclusion-proof/v1\nindex -1\ntree-size 8\nleaf-hash " + hash + "\n", "line 2: index '-1'"},
      {"glassbook/inclusion-proof/v1\nindex  5\ntree-size 8\nleaf-hash " + hash + "\n", "line 2: index ' 5'"},
      {"glassbook/inclusion-proof/v1\nindex 5 \ntree-size 8\nleaf-hash " + hash + "\n", "line 2: index '5 '"},
      {"glassbook/inclusion-proof/v1\nindex\ntree-size 8\nleaf-hash " + hash + "\n", "line 2: expected 'index <value>'"},
      {"glassbook/inclusion-proof/v1\nindex 5\ntree-size 18446744073709551616\n", "fits in 64 bits"},
      {"glassbook/inclusion-proof/v1\nindex 8\ntree-size 8\nleaf-hash " + hash + "\n", "index 8 is not below tree-size 8"},
      {"glassbook/inclusion-proof/v1\nindex 0\ntree-size 0\nleaf-hash " + hash + "\n", "index 0 is not below tree-size 0"},
      {head + "leaf-hash " + hash.substr(1) + "\n", "line 4: leaf-hash is not 64 lowercase hex digits"},
      {head + "leaf-hash " + hash + "0\n", "line 4: leaf-hash is not 64 lowercase hex digits"},
      {head + "leaf-hash BC1A0643B12E4D2D7C77918F44E0F4F79A838B6CF9EC5B5C283E1F4D88599E6B\n", "lowercase hex"},
      {head + "leaf-hash " + hash + "\nproof " + hash.substr(0, 62) + "zz\n", "line 5: proof is not 64 lowercase hex"},
      {head + "leaf-hash " + hash + "\nproof  " + hash + "\n", "line 5: proof is not 64"},
      {head + "leaf-hash " + hash + "\nproofs " + hash + "\n", "line 5: expected 'proof <value>'"},
      {head + "leaf-hash " + hash + "\r\n", "byte 123 (0x0d) is not printable ASCII"},
      {head + "leaf-hash " + hash + "\n\xC2\xA0\n", "not printable ASCII"},
      {head + "leaf-hash " + hash + "\t\n", "not printable ASCII"},
      {good + std::string(kMaxProofTextBytes, 'x') + "\n", "more than the limit"},
  };
  for (const auto& c : cases) {
    auto r = parse_inclusion_proof(c.text);
    ASSERT_FALSE(r.is_ok()) << c.text;
    expect_invalid(r.status(), c.message_part, c.text);
    expect_invalid(verify_inclusion_text(c.text, rfc_checkpoint(8)), c.message_part, c.text);
  }
  std::string many = head + "leaf-hash " + hash + "\n";
  for (size_t i = 0; i <= kMaxProofHashes; ++i) many += "proof " + hash + "\n";
  expect_invalid(parse_inclusion_proof(many).status(), "more than 128 proof lines");

  // Consistency proofs likewise.
  const std::vector<Case> ccases = {
      {encode_inclusion_proof(inclusion_vectors()[2]), "this is an inclusion proof"},
      {"glassbook/consistency-proof/v1\nold-size 5\nnew-size 4\n", "old-size 5 is above new-size 4"},
      {"glassbook/consistency-proof/v1\nnew-size 5\nold-size 4\n", "line 2: expected 'old-size <value>'"},
      {"glassbook/consistency-proof/v1\nold-size 5\n", "the 'new-size' line is missing"},
      {"glassbook/consistency-proof/v1\nold-size 1\nnew-size 8\nproof " + hash + "\nindex 3\n", "line 5: expected 'proof"},
      {"glassbook/consistency-proof/v1\nold-size 1\nnew-size 8\n\n", "line 4: expected 'proof"},
      {"glassbook/consistency-proof/v1 \nold-size 1\nnew-size 8\n", "line 1 must be"},
  };
  for (const auto& c : ccases) {
    auto r = parse_consistency_proof(c.text);
    ASSERT_FALSE(r.is_ok()) << c.text;
    expect_invalid(r.status(), c.message_part, c.text);
    expect_invalid(verify_consistency_text(c.text, rfc_checkpoint(1), rfc_checkpoint(8)), c.message_part, c.text);
  }
}

TEST(ProofFormat, EveryProofOfSmallTreesRoundTripsAndVerifies) {
  constexpr uint64_t kMax = 33;
  crypto::MerkleLog log;
  std::vector<crypto::Digest> leaves;
  for (uint64_t i = 0; i < kMax; ++i) {
    leaves.push_back(crypto::leaf_hash(bytes_of_hex(fmt::format("{:04x}", i))));
    log.append_leaf_hash(leaves.back());
  }
  auto cp = [&](uint64_t n) {
    Checkpoint c;
    c.origin = "glassbook.example/small";
    c.tree_size = n;
    c.root = *log.root_at(n);
    return c;
  };
  for (uint64_t n = 0; n <= kMax; ++n) {
    for (uint64_t i = 0; i < n; ++i) {
      const InclusionProof p{i, n, leaves[i], *log.inclusion_proof(i, n)};
      const std::string text = encode_inclusion_proof(p);
      ASSERT_EQ(*parse_inclusion_proof(text), p);
      ASSERT_TRUE(verify_inclusion_text(text, cp(n), leaves[i]).is_ok()) << i << "/" << n;
    }
    for (uint64_t m = 0; m <= n; ++m) {
      const ConsistencyProof p{m, n, *log.consistency_proof(m, n)};
      const std::string text = encode_consistency_proof(p);
      ASSERT_EQ(*parse_consistency_proof(text), p);
      ASSERT_TRUE(verify_consistency_text(text, cp(m), cp(n)).is_ok()) << m << "->" << n;
      if (m > 0 && m < n) {
        // The consistency of two checkpoints whose roots are not of one log fails.
        Checkpoint forged = cp(n);
        forged.root = *log.root_at(n - 1);
        ASSERT_FALSE(verify_consistency_text(text, cp(m), forged).is_ok()) << m << "->" << n;
      }
    }
  }
}

}  // namespace
}  // namespace glassbook::journal
