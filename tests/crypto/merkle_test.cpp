// Merkle log tree: RFC 6962 reference vectors, a naive recursive reference model, every proof up to n=64, forgeries.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "crypto/merkle.h"

namespace glassbook::crypto {
namespace {

std::vector<uint8_t> bytes_of_hex(std::string_view hex) {
  auto nibble = [](char c) -> uint8_t {
    if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
    ADD_FAILURE() << "bad hex digit " << c;
    return 0;
  };
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<uint8_t>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
  return out;
}

Digest digest_of_hex(std::string_view hex) {
  EXPECT_EQ(hex.size(), 64u);
  Digest d{};
  auto b = bytes_of_hex(hex);
  std::copy(b.begin(), b.end(), d.begin());
  return d;
}

std::vector<Digest> digests_of_hex(std::initializer_list<std::string_view> hexes) {
  std::vector<Digest> out;
  for (auto h : hexes) out.push_back(digest_of_hex(h));
  return out;
}

std::string hex(const Digest& d) { return to_hex(d); }

// ---- Naive recursive reference, written straight from RFC 9162 2.1.1, 2.1.3.1 and 2.1.4.1 ----

uint64_t largest_pow2_below(uint64_t n) {
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Digest ref_mth(std::span<const Digest> d) {
  if (d.empty()) return sha256(std::string_view());
  if (d.size() == 1) return d[0];
  const uint64_t k = largest_pow2_below(d.size());
  return node_hash(ref_mth(d.subspan(0, k)), ref_mth(d.subspan(k)));
}

std::vector<Digest> ref_path(uint64_t m, std::span<const Digest> d) {
  if (d.size() <= 1) return {};
  const uint64_t k = largest_pow2_below(d.size());
  std::vector<Digest> out;
  if (m < k) {
    out = ref_path(m, d.subspan(0, k));
    out.push_back(ref_mth(d.subspan(k)));
  } else {
    out = ref_path(m - k, d.subspan(k));
    out.push_back(ref_mth(d.subspan(0, k)));
  }
  return out;
}

std::vector<Digest> ref_subproof(uint64_t m, std::span<const Digest> d, bool b) {
  const uint64_t n = d.size();
  if (m == n) return b ? std::vector<Digest>{} : std::vector<Digest>{ref_mth(d)};
  const uint64_t k = largest_pow2_below(n);
  std::vector<Digest> out;
  if (m <= k) {
    out = ref_subproof(m, d.subspan(0, k), b);
    out.push_back(ref_mth(d.subspan(k)));
  } else {
    out = ref_subproof(m - k, d.subspan(k), false);
    out.push_back(ref_mth(d.subspan(0, k)));
  }
  return out;
}

std::vector<Digest> ref_consistency(uint64_t m, std::span<const Digest> d) {
  if (m == 0 || m == d.size()) return {};
  return ref_subproof(m, d, true);
}

// ---- RFC 6962 reference data (transparency-dev/merkle testonly/constants.go and proof/verify_test.go,
//      the same vectors as google/certificate-transparency's merkle_tree_test.cc) ----

const std::vector<std::string_view> kLeafHex = {
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};

const std::vector<std::string_view> kRootHex = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",  // empty
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

// Hashes of the eight leaves (level 0 of the size-8 tree).
const std::vector<std::string_view> kLeafHashHex = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
};

struct InclusionVector {
  uint64_t index;  // 0-based (the Go and C++ CT sources number leaves from 1)
  uint64_t size;
  std::vector<Digest> proof;
};

const std::vector<InclusionVector>& inclusion_vectors() {
  static const std::vector<InclusionVector> v = {
      {0, 1, {}},
      {0, 8,
       digests_of_hex({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                       "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                       "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {5, 8,
       digests_of_hex({"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                       "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                       "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 3, digests_of_hex({"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"})},
      {1, 5,
       digests_of_hex({"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                       "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                       "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
  };
  return v;
}

struct ConsistencyVector {
  uint64_t old_size;
  uint64_t new_size;
  std::vector<Digest> proof;
};

const std::vector<ConsistencyVector>& consistency_vectors() {
  static const std::vector<ConsistencyVector> v = {
      {1, 1, {}},
      {1, 8,
       digests_of_hex({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                       "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                       "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {6, 8,
       digests_of_hex({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                       "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                       "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 5,
       digests_of_hex({"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                       "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
      {6, 7,
       digests_of_hex({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                       "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                       "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
  };
  return v;
}

MerkleLog rfc_log() {
  MerkleLog log;
  for (auto h : kLeafHex) log.append(bytes_of_hex(h));
  return log;
}

std::vector<Digest> rfc_leaf_hashes() {
  std::vector<Digest> out;
  for (auto h : kLeafHex) out.push_back(leaf_hash(bytes_of_hex(h)));
  return out;
}

// Distinct pseudo-random leaf hashes.
std::vector<Digest> random_leaf_hashes(uint64_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Digest> out;
  out.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    std::vector<uint8_t> leaf(1 + rng() % 40);
    for (auto& b : leaf) b = static_cast<uint8_t>(rng());
    leaf.push_back(static_cast<uint8_t>(i));  // plus the index, so no two leaves are equal
    leaf.push_back(static_cast<uint8_t>(i >> 8));
    out.push_back(leaf_hash(leaf));
  }
  return out;
}

MerkleLog log_of(std::span<const Digest> hashes) {
  MerkleLog log;
  for (const auto& h : hashes) log.append_leaf_hash(h);
  return log;
}

// ---- Hashing primitives ----

TEST(Merkle, HashPrimitivesMatchRfc6962) {
  EXPECT_EQ(hex(empty_root()), kRootHex[0]);
  for (size_t i = 0; i < kLeafHex.size(); ++i)
    EXPECT_EQ(hex(leaf_hash(bytes_of_hex(kLeafHex[i]))), kLeafHashHex[i]) << i;
  // Level 1 of the size-8 tree: node(leaf0, leaf1) is the size-2 root.
  EXPECT_EQ(hex(node_hash(digest_of_hex(kLeafHashHex[0]), digest_of_hex(kLeafHashHex[1]))), kRootHex[2]);
  EXPECT_EQ(hex(node_hash(digest_of_hex(kLeafHashHex[4]), digest_of_hex(kLeafHashHex[5]))),
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a");
  // Domain separation: a leaf of 64 bytes is not the node over the same 64 bytes.
  Digest a = digest_of_hex(kLeafHashHex[0]), b = digest_of_hex(kLeafHashHex[1]);
  std::vector<uint8_t> concat(a.begin(), a.end());
  concat.insert(concat.end(), b.begin(), b.end());
  EXPECT_NE(leaf_hash(concat), node_hash(a, b));
  EXPECT_NE(node_hash(a, b), node_hash(b, a));
}

// ---- RFC 6962 vectors ----

TEST(Merkle, RfcRootsForEveryPrefix) {
  MerkleLog log;
  EXPECT_EQ(log.size(), 0u);
  EXPECT_EQ(hex(log.root()), kRootHex[0]);
  for (size_t i = 0; i < kLeafHex.size(); ++i) {
    log.append(bytes_of_hex(kLeafHex[i]));
    EXPECT_EQ(log.size(), i + 1);
    EXPECT_EQ(hex(log.root()), kRootHex[i + 1]) << "size " << i + 1;
  }
  for (uint64_t n = 0; n <= 8; ++n) {
    auto r = log.root_at(n);
    ASSERT_TRUE(r.is_ok());
    EXPECT_EQ(hex(*r), kRootHex[n]) << "root_at " << n;
  }
}

TEST(Merkle, RfcInclusionProofs) {
  MerkleLog log = rfc_log();
  auto leaves = rfc_leaf_hashes();
  for (const auto& v : inclusion_vectors()) {
    auto p = log.inclusion_proof(v.index, v.size);
    ASSERT_TRUE(p.is_ok()) << p.status().message();
    ASSERT_EQ(p->size(), v.proof.size()) << v.index << "/" << v.size;
    for (size_t i = 0; i < v.proof.size(); ++i) EXPECT_EQ(hex((*p)[i]), hex(v.proof[i])) << v.index << "/" << v.size;
    EXPECT_TRUE(verify_inclusion(leaves[v.index], v.index, v.size, v.proof, digest_of_hex(kRootHex[v.size])));
  }
}

TEST(Merkle, RfcConsistencyProofs) {
  MerkleLog log = rfc_log();
  for (const auto& v : consistency_vectors()) {
    auto p = log.consistency_proof(v.old_size, v.new_size);
    ASSERT_TRUE(p.is_ok()) << p.status().message();
    ASSERT_EQ(p->size(), v.proof.size()) << v.old_size << "->" << v.new_size;
    for (size_t i = 0; i < v.proof.size(); ++i)
      EXPECT_EQ(hex((*p)[i]), hex(v.proof[i])) << v.old_size << "->" << v.new_size;
    EXPECT_TRUE(verify_consistency(v.old_size, v.new_size, digest_of_hex(kRootHex[v.old_size]),
                                   digest_of_hex(kRootHex[v.new_size]), v.proof));
  }
}

// ---- Against the naive reference ----

TEST(Merkle, RootAtEveryPrefixMatchesReference) {
  std::mt19937_64 rng(6962);
  std::vector<uint64_t> sizes = {1, 2, 3, 1000, 1024, 1025};
  for (int i = 0; i < 4; ++i) sizes.push_back(1 + rng() % 1000);
  for (uint64_t n : sizes) {
    auto hashes = random_leaf_hashes(n, n);
    std::vector<Digest> want;  // naive root of every prefix
    for (uint64_t k = 0; k <= n; ++k) want.push_back(ref_mth(std::span(hashes).first(k)));
    MerkleLog log;
    for (uint64_t k = 0; k < n; ++k) {
      log.append_leaf_hash(hashes[k]);
      ASSERT_EQ(log.root(), want[k + 1]) << "n " << n << " prefix " << k + 1;
    }
    for (uint64_t k = 0; k <= n; ++k) {
      auto r = log.root_at(k);
      ASSERT_TRUE(r.is_ok());
      ASSERT_EQ(*r, want[k]) << "n " << n << " root_at " << k;
    }
  }
}

TEST(Merkle, EveryProofUpTo64MatchesReferenceAndVerifies) {
  constexpr uint64_t kMax = 64;
  auto hashes = random_leaf_hashes(kMax, 64);
  MerkleLog log = log_of(hashes);
  std::vector<Digest> roots;
  for (uint64_t n = 0; n <= kMax; ++n) roots.push_back(ref_mth(std::span(hashes).first(n)));
  for (uint64_t n = 1; n <= kMax; ++n) {
    auto d = std::span(hashes).first(n);
    for (uint64_t i = 0; i < n; ++i) {
      auto p = log.inclusion_proof(i, n);
      ASSERT_TRUE(p.is_ok());
      ASSERT_EQ(*p, ref_path(i, d)) << i << "/" << n;
      ASSERT_TRUE(verify_inclusion(hashes[i], i, n, *p, roots[n])) << i << "/" << n;
    }
    for (uint64_t m = 0; m <= n; ++m) {
      auto p = log.consistency_proof(m, n);
      ASSERT_TRUE(p.is_ok());
      ASSERT_EQ(*p, ref_consistency(m, d)) << m << "->" << n;
      ASSERT_TRUE(verify_consistency(m, n, roots[m], roots[n], *p)) << m << "->" << n;
    }
  }
}

TEST(Merkle, ProofsInALargerLogMatchReference) {
  // Proofs for trees smaller than the log, from a log with several levels above them.
  auto hashes = random_leaf_hashes(777, 777);
  MerkleLog log = log_of(hashes);
  std::mt19937_64 rng(7);
  for (int t = 0; t < 300; ++t) {
    const uint64_t n = 1 + rng() % 777;
    const uint64_t i = rng() % n;
    const uint64_t m = rng() % (n + 1);
    auto d = std::span(hashes).first(n);
    const Digest root = ref_mth(d);
    auto ip = log.inclusion_proof(i, n);
    ASSERT_TRUE(ip.is_ok());
    ASSERT_EQ(*ip, ref_path(i, d)) << i << "/" << n;
    ASSERT_TRUE(verify_inclusion(hashes[i], i, n, *ip, root));
    auto cp = log.consistency_proof(m, n);
    ASSERT_TRUE(cp.is_ok());
    ASSERT_EQ(*cp, ref_consistency(m, d)) << m << "->" << n;
    ASSERT_TRUE(verify_consistency(m, n, ref_mth(d.first(m)), root, *cp));
  }
}

// ---- Forgeries ----

std::vector<Digest> without(const std::vector<Digest>& p, size_t at) {
  auto q = p;
  q.erase(q.begin() + static_cast<std::ptrdiff_t>(at));
  return q;
}
std::vector<Digest> with(const std::vector<Digest>& p, size_t at, const Digest& d) {
  auto q = p;
  q.insert(q.begin() + static_cast<std::ptrdiff_t>(at), d);
  return q;
}

// Every complete subtree of the size-8 tree (transparency-dev/merkle testonly/constants.go NodeHashes:
// level 0 is the leaf hashes), and each prefix root from its compact frontier (CompactTrees).
TEST(Merkle, RfcNodeHashesOfTheEightLeafTree) {
  const std::vector<std::vector<std::string_view>> levels = {
      kLeafHashHex,
      {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
       "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
       "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
       "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"},
      {"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
       "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"},
      {"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"},
  };
  for (size_t h = 1; h < levels.size(); ++h)
    for (size_t i = 0; i < levels[h].size(); ++i)
      EXPECT_EQ(hex(node_hash(digest_of_hex(levels[h - 1][2 * i]), digest_of_hex(levels[h - 1][2 * i + 1]))),
                levels[h][i])
          << "level " << h << " node " << i;
  // Prefix roots from the frontier: hash the peaks right to left.
  auto nh = [&](size_t h, size_t i) { return digest_of_hex(levels[h][i]); };
  const std::vector<std::vector<Digest>> frontier = {
      {},
      {nh(0, 0)},
      {nh(1, 0)},
      {nh(1, 0), nh(0, 2)},
      {nh(2, 0)},
      {nh(2, 0), nh(0, 4)},
      {nh(2, 0), nh(1, 2)},
      {nh(2, 0), nh(1, 2), nh(0, 6)},
      {nh(3, 0)},
  };
  MerkleLog log = rfc_log();
  for (uint64_t n = 1; n <= 8; ++n) {
    Digest r = frontier[n].back();
    for (size_t k = frontier[n].size() - 1; k-- > 0;) r = node_hash(frontier[n][k], r);
    EXPECT_EQ(hex(r), kRootHex[n]) << n;
    EXPECT_EQ(hex(*log.root_at(n)), kRootHex[n]) << n;
  }
}

// The corruption probes of transparency-dev/merkle proof/verify_test.go (corruptInclusionProof and
// corruptConsistencyProof), applied to the RFC 6962 vectors. Go's empty-slice "garbage" element has
// no Digest form; the all-zero hash stands in for it.
TEST(Merkle, RfcVectorsResistTheGoSuiteCorruptionProbes) {
  const Digest some = digest_of_hex("abacaba000000000000000000000000000000000000000000060061e00123456");
  const Digest zero{};
  const Digest empty = digest_of_hex(kRootHex[0]);
  const auto leaves = rfc_leaf_hashes();
  size_t probes = 0;
  for (const auto& v : inclusion_vectors()) {
    const uint64_t i = v.index, n = v.size;
    const Digest root = digest_of_hex(kRootHex[n]);
    const Digest& leaf = leaves[i];
    const auto& p = v.proof;
    ASSERT_TRUE(verify_inclusion(leaf, i, n, p, root));
    auto reject = [&](const Digest& l, uint64_t idx, uint64_t size, const std::vector<Digest>& q, const Digest& r,
                      const char* what) {
      ++probes;
      EXPECT_FALSE(verify_inclusion(l, idx, size, q, r)) << what << " at " << i << "/" << n;
    };
    reject(leaf, i - 1, n, p, root, "leafIndex - 1");  // wraps for index 0: far past the tree
    reject(leaf, i + 1, n, p, root, "leafIndex + 1");
    reject(leaf, i ^ 2, n, p, root, "leafIndex ^ 2");
    reject(leaf, i, n * 2, p, root, "treeSize * 2");
    reject(leaf, i, n / 2, p, root, "treeSize / 2");
    reject(sha256(std::string_view("WrongLeaf")), i, n, p, root, "wrong leaf");
    reject(leaf, i, n, p, empty, "empty root");
    reject(leaf, i, n, p, some, "random root");
    reject(leaf, i, n, with(p, p.size(), zero), root, "trailing garbage");
    reject(leaf, i, n, with(p, p.size(), root), root, "trailing root");
    reject(leaf, i, n, with(p, 0, zero), root, "preceding garbage");
    reject(leaf, i, n, with(p, 0, root), root, "preceding root");
    for (size_t k = 0; k < p.size(); ++k) {
      auto q = p;
      q[k][0] ^= 8;
      reject(leaf, i, n, q, root, "modified proof[k] bit 3");
    }
    if (!p.empty()) reject(leaf, i, n, without(p, p.size() - 1), root, "removed component");
    if (p.size() > 1) reject(leaf, i, n, with(p, 1, some), root, "inserted component");
  }
  for (const auto& v : consistency_vectors()) {
    const uint64_t m = v.old_size, n = v.new_size;
    const Digest r1 = digest_of_hex(kRootHex[m]), r2 = digest_of_hex(kRootHex[n]);
    const auto& p = v.proof;
    ASSERT_TRUE(verify_consistency(m, n, r1, r2, p));
    if (p.empty()) continue;  // as the Go suite: only non-trivial proofs are probed
    auto reject = [&](uint64_t s1, uint64_t s2, const Digest& a, const Digest& b, const std::vector<Digest>& q,
                      const char* what) {
      ++probes;
      EXPECT_FALSE(verify_consistency(s1, s2, a, b, q)) << what << " at " << m << "->" << n;
    };
    const Digest wrong = sha256(std::string_view("WrongRoot"));
    reject(m - 1, n, r1, r2, p, "size1 - 1");
    reject(m + 1, n, r1, r2, p, "size1 + 1");
    reject(m ^ 2, n, r1, r2, p, "size1 ^ 2");
    reject(m, n * 2, r1, r2, p, "size2 * 2");
    reject(m, n / 2, r1, r2, p, "size2 / 2");
    reject(m, n, wrong, r2, p, "wrong root1");
    reject(m, n, r1, wrong, p, "wrong root2");
    reject(m, n, r2, r1, p, "swapped roots");
    reject(m, n, r1, r2, {}, "empty proof");
    reject(m, n, r1, r2, with(p, p.size(), zero), "trailing garbage");
    reject(m, n, r1, r2, with(p, p.size(), r1), "trailing root1");
    reject(m, n, r1, r2, with(p, p.size(), r2), "trailing root2");
    reject(m, n, r1, r2, with(p, 0, zero), "preceding garbage");
    reject(m, n, r1, r2, with(p, 0, r1), "preceding root1");
    reject(m, n, r1, r2, with(p, 0, r2), "preceding root2");
    reject(m, n, r1, r2, with(p, 0, p[0]), "preceding proof[0]");
    reject(m, n, r1, r2, without(p, p.size() - 1), "truncated proof");
    for (size_t k = 0; k < p.size(); ++k) {
      auto q = p;
      q[k][0] ^= 16;
      reject(m, n, r1, r2, q, "modified proof[k] bit 4");
    }
  }
  EXPECT_GT(probes, 100u);
}

// The trivial cases of transparency-dev/merkle TestVerifyConsistency, in this verifier's terms: a tree
// of size 0 must have the empty root (Go ignores root1 there), equal sizes need equal roots, and a
// trivial proof must be empty.
TEST(Merkle, TrivialConsistencyCases) {
  const Digest e = empty_root();
  const Digest r1 = sha256(std::string_view("don't care 1")), r2 = sha256(std::string_view("don't care 2"));
  const std::vector<Digest> none, one = {e};
  struct Case {
    uint64_t size1, size2;
    Digest root1, root2;
    std::vector<Digest> proof;
    bool ok;
  };
  const std::vector<Case> cases = {
      {0, 0, r1, r2, none, false}, {1, 1, r1, r2, none, false},
      {0, 0, e, e, none, true},    {0, 1, e, r2, none, true},   {1, 1, r2, r2, none, true},
      {1, 0, r1, r2, none, false}, {2, 1, r1, r2, none, false},  // time travel to the past
      {1, 2, r1, r2, none, false},                                // empty proof
      {0, 0, e, r2, none, false},  {1, 1, e, r2, none, false},   // roots differ
      {0, 0, e, e, one, false},    {0, 1, e, e, one, false},     {1, 1, e, e, one, false},  // non-empty proof
      {0, 1, r1, r2, none, false},                                // size 0 with a root that is not empty
  };
  for (const auto& c : cases)
    EXPECT_EQ(verify_consistency(c.size1, c.size2, c.root1, c.root2, c.proof), c.ok) << c.size1 << "->" << c.size2;
}

TEST(Merkle, ForgedInclusionProofsAreRejected) {
  constexpr uint64_t kMax = 64;
  auto hashes = random_leaf_hashes(kMax, 99);
  MerkleLog log = log_of(hashes);
  std::vector<Digest> roots;
  for (uint64_t n = 0; n <= kMax; ++n) roots.push_back(ref_mth(std::span(hashes).first(n)));
  const Digest other = sha256(std::string_view("some other hash"));
  size_t probes = 0;
  for (uint64_t n = 1; n <= kMax; ++n) {
    for (uint64_t i = 0; i < n; ++i) {
      const auto proof = *log.inclusion_proof(i, n);
      const Digest& leaf = hashes[i];
      const Digest& root = roots[n];
      ASSERT_TRUE(verify_inclusion(leaf, i, n, proof, root));
      auto reject = [&](const Digest& l, uint64_t idx, uint64_t size, const std::vector<Digest>& p, const Digest& r,
                        const char* what) {
        ++probes;
        EXPECT_FALSE(verify_inclusion(l, idx, size, p, r)) << what << " at " << i << "/" << n;
      };
      // Flipped byte (a different byte position per element) in each element.
      for (size_t k = 0; k < proof.size(); ++k) {
        auto p = proof;
        p[k][(k * 7 + i) % 32] ^= 0x01;
        reject(leaf, i, n, p, root, "flipped byte");
      }
      // Wrong index: every other index in the tree, with its own leaf or with this one, unless that
      // index happens to have exactly this proof; and indexes past the end.
      for (uint64_t j = 0; j < n + 2; ++j) {
        if (j == i) continue;
        reject(leaf, j, n, proof, root, "wrong index, same leaf");
        if (j < n && *log.inclusion_proof(j, n) != proof) reject(hashes[j], j, n, proof, root, "wrong index");
      }
      // Wrong size: twice and half the size against this root, and every other size against that
      // size's own root.
      reject(leaf, i, n * 2, proof, root, "size * 2");
      reject(leaf, i, n / 2, proof, root, "size / 2");
      for (uint64_t s = i + 1; s <= kMax; ++s)
        if (s != n) reject(leaf, i, s, proof, roots[s], "wrong size with its root");
      // Wrong leaf or root.
      reject(other, i, n, proof, root, "wrong leaf");
      reject(leaf, i, n, proof, other, "wrong root");
      reject(leaf, i, n, proof, empty_root(), "empty root");
      if (n > 1) reject(leaf, i, n, proof, roots[n - 1], "previous root");
      // Element dropped (each), added (at every position, garbage or the root).
      for (size_t k = 0; k < proof.size(); ++k) reject(leaf, i, n, without(proof, k), root, "dropped element");
      for (size_t k = 0; k <= proof.size(); ++k) {
        reject(leaf, i, n, with(proof, k, other), root, "added element");
        reject(leaf, i, n, with(proof, k, root), root, "added root");
      }
      // Elements swapped.
      for (size_t k = 0; k + 1 < proof.size(); ++k) {
        auto p = proof;
        std::swap(p[k], p[k + 1]);
        reject(leaf, i, n, p, root, "swapped elements");
      }
    }
  }
  EXPECT_GT(probes, 100000u);
}

TEST(Merkle, ForgedConsistencyProofsAreRejected) {
  constexpr uint64_t kMax = 64;
  auto hashes = random_leaf_hashes(kMax, 123);
  MerkleLog log = log_of(hashes);
  std::vector<Digest> roots;
  for (uint64_t n = 0; n <= kMax; ++n) roots.push_back(ref_mth(std::span(hashes).first(n)));
  const Digest other = sha256(std::string_view("some other hash"));
  size_t probes = 0;
  for (uint64_t n = 1; n <= kMax; ++n) {
    for (uint64_t m = 0; m <= n; ++m) {
      const auto proof = *log.consistency_proof(m, n);
      const Digest& r1 = roots[m];
      const Digest& r2 = roots[n];
      ASSERT_TRUE(verify_consistency(m, n, r1, r2, proof));
      auto reject = [&](uint64_t s1, uint64_t s2, const Digest& a, const Digest& b, const std::vector<Digest>& p,
                        const char* what) {
        ++probes;
        EXPECT_FALSE(verify_consistency(s1, s2, a, b, p)) << what << " at " << m << "->" << n;
      };
      // Trivial cases: anything but an empty proof and matching roots is rejected.
      if (m == 0 || m == n) {
        EXPECT_TRUE(proof.empty());
        reject(m, n, r1, r2, {other}, "non-empty trivial proof");
        if (m == n) reject(m, n, r1, other, proof, "different roots at same size");
        if (m == 0) reject(m, n, other, r2, proof, "non-empty old root for size 0");
        if (n > m) reject(n, m, r2, r1, proof, "sizes reversed");
        continue;
      }
      for (size_t k = 0; k < proof.size(); ++k) {
        auto p = proof;
        p[k][(k * 5 + m) % 32] ^= 0x10;
        reject(m, n, r1, r2, p, "flipped byte");
      }
      // Wrong old size with the same roots and with that size's own root (unless that size happens to
      // have exactly this proof); wrong new size likewise.
      for (uint64_t s = 0; s <= n + 1; ++s) {
        if (s == m) continue;
        reject(s, n, r1, r2, proof, "wrong old size");
        if (s <= n && *log.consistency_proof(s, n) != proof) reject(s, n, roots[s], r2, proof, "wrong old size+root");
      }
      // (A wrong new size with the unchanged new root can verify when its path has the same shape: see
      // SizeIsBoundOnlyThroughTheRoot. Here the claimed size comes with its own root.)
      for (uint64_t s = m - 1; s <= kMax + 1; ++s) {
        if (s == n) continue;
        if (s <= m) reject(m, s, r1, r2, proof, "new size not above old size");
        if (s >= m && s <= kMax && *log.consistency_proof(m, s) != proof)
          reject(m, s, r1, roots[s], proof, "wrong new size+root");
      }
      reject(m, n * 2, r1, r2, proof, "new size * 2");
      reject(m, n / 2, r1, r2, proof, "new size / 2");
      // Wrong and swapped roots.
      reject(m, n, r2, r1, proof, "swapped roots");
      reject(m, n, other, r2, proof, "wrong old root");
      reject(m, n, r1, other, proof, "wrong new root");
      reject(m, n, r1, r1, proof, "old root twice");
      reject(m, n, r2, r2, proof, "new root twice");
      reject(n, m, r2, r1, proof, "sizes and roots reversed");
      // Truncated, extended, dropped, added, swapped elements.
      reject(m, n, r1, r2, {}, "empty proof");
      for (size_t k = 0; k < proof.size(); ++k) reject(m, n, r1, r2, without(proof, k), "dropped element");
      for (size_t k = 0; k <= proof.size(); ++k) {
        reject(m, n, r1, r2, with(proof, k, other), "added element");
        reject(m, n, r1, r2, with(proof, k, r1), "added old root");
        reject(m, n, r1, r2, with(proof, k, r2), "added new root");
      }
      reject(m, n, r1, r2, with(proof, 0, proof[0]), "first element repeated");
      for (size_t k = 0; k + 1 < proof.size(); ++k) {
        auto p = proof;
        std::swap(p[k], p[k + 1]);
        if (p != proof) reject(m, n, r1, r2, p, "swapped elements");
      }
    }
  }
  EXPECT_GT(probes, 50000u);
}

// The hashes of a proof commit to its shape, not to the tree size: sizes whose paths have the same shape
// accept the same proof against the same root. A (size, root) pair must therefore come from one trusted
// (signed) tree head; against the real root of the claimed size, the proof fails.
TEST(Merkle, SizeIsBoundOnlyThroughTheRoot) {
  MerkleLog log = rfc_log();
  auto leaves = rfc_leaf_hashes();
  const auto p04 = *log.inclusion_proof(0, 4);
  EXPECT_TRUE(verify_inclusion(leaves[0], 0, 4, p04, *log.root_at(4)));
  EXPECT_TRUE(verify_inclusion(leaves[0], 0, 3, p04, *log.root_at(4)));   // same shape as size 4
  EXPECT_FALSE(verify_inclusion(leaves[0], 0, 3, p04, *log.root_at(3)));  // the real size-3 root
  const auto c68 = *log.consistency_proof(6, 8);
  EXPECT_TRUE(verify_consistency(6, 7, *log.root_at(6), *log.root_at(8), c68));   // same shape as 6 -> 8
  EXPECT_FALSE(verify_consistency(6, 7, *log.root_at(6), *log.root_at(7), c68));  // the real size-7 root
}

// ---- Edge cases, bad input, huge sizes ----

TEST(Merkle, BadArgumentsAreErrorsNotProofs) {
  MerkleLog empty;
  EXPECT_EQ(empty.root(), empty_root());
  EXPECT_EQ(empty.inclusion_proof(0, 0).code(), Error::InvalidArgument);
  EXPECT_EQ(empty.inclusion_proof(0, 1).code(), Error::InvalidArgument);
  EXPECT_TRUE(empty.consistency_proof(0, 0).is_ok());
  EXPECT_EQ(empty.root_at(1).code(), Error::InvalidArgument);

  MerkleLog log = rfc_log();
  EXPECT_EQ(log.inclusion_proof(8, 8).code(), Error::InvalidArgument);     // index == size
  EXPECT_EQ(log.inclusion_proof(3, 2).code(), Error::InvalidArgument);     // index > size
  EXPECT_EQ(log.inclusion_proof(0, 9).code(), Error::InvalidArgument);     // past the log
  EXPECT_EQ(log.inclusion_proof(0, UINT64_MAX).code(), Error::InvalidArgument);
  EXPECT_EQ(log.consistency_proof(5, 4).code(), Error::InvalidArgument);   // old > new
  EXPECT_EQ(log.consistency_proof(1, 9).code(), Error::InvalidArgument);   // past the log
  EXPECT_EQ(log.consistency_proof(9, 9).code(), Error::InvalidArgument);
  EXPECT_EQ(log.root_at(9).code(), Error::InvalidArgument);
  EXPECT_FALSE(log.root_at(9).status().message().empty());
  // Trivial consistency proofs are empty and valid.
  EXPECT_TRUE(log.consistency_proof(0, 8)->empty());
  EXPECT_TRUE(log.consistency_proof(8, 8)->empty());
  EXPECT_TRUE(verify_consistency(0, 8, empty_root(), log.root(), {}));
  EXPECT_TRUE(verify_consistency(0, 0, empty_root(), empty_root(), {}));

  // Verifiers on impossible parameters.
  const Digest h = leaf_hash(bytes_of_hex("00"));
  EXPECT_FALSE(verify_inclusion(h, 0, 0, {}, h));
  EXPECT_FALSE(verify_inclusion(h, 1, 1, {}, h));
  EXPECT_FALSE(verify_inclusion(h, 2, 1, {}, h));
  EXPECT_TRUE(verify_inclusion(h, 0, 1, {}, h));  // single-leaf tree: root == leaf hash, empty proof
  EXPECT_FALSE(verify_inclusion(h, 0, 1, std::vector<Digest>{h}, node_hash(h, h)));
  EXPECT_FALSE(verify_consistency(1, 0, h, empty_root(), {}));
  EXPECT_FALSE(verify_consistency(2, 1, h, h, {}));
  EXPECT_FALSE(verify_consistency(1, 2, h, h, {}));
}

TEST(Merkle, VerifiersHandleHugeTreesIteratively) {
  // The last leaf of a complete 2^40 tree: its path is 40 left siblings.
  const uint64_t n = uint64_t{1} << 40;
  const Digest leaf = leaf_hash(bytes_of_hex("ff"));
  std::vector<Digest> proof;
  Digest root = leaf;
  for (int level = 0; level < 40; ++level) {
    proof.push_back(sha256(std::string("level ") + std::to_string(level)));
    root = node_hash(proof.back(), root);
  }
  EXPECT_TRUE(verify_inclusion(leaf, n - 1, n, proof, root));
  EXPECT_FALSE(verify_inclusion(leaf, n - 2, n, proof, root));
  EXPECT_FALSE(verify_inclusion(leaf, n - 1, n + 1, proof, root));
  EXPECT_FALSE(verify_inclusion(leaf, n - 1, n, std::span(proof).first(39), root));
  auto longer = proof;
  longer.push_back(root);
  EXPECT_FALSE(verify_inclusion(leaf, n - 1, n, longer, root));

  // Appending one leaf to a complete 2^40 tree: the proof is just the new leaf's hash.
  const Digest old_root = root;
  const Digest new_leaf = leaf_hash(bytes_of_hex("01"));
  const Digest new_root = node_hash(old_root, new_leaf);
  const std::vector<Digest> cproof = {new_leaf};
  EXPECT_TRUE(verify_consistency(n, n + 1, old_root, new_root, cproof));
  EXPECT_FALSE(verify_consistency(n, 2 * n + 1, old_root, new_root, cproof));  // one level too many
  EXPECT_FALSE(verify_consistency(n - 1, n + 1, old_root, new_root, cproof));
  EXPECT_FALSE(verify_consistency(n, n + 1, new_root, old_root, cproof));

  // Extreme sizes and absurdly long proofs are rejected without overflow or over-reads.
  std::vector<Digest> junk(1000, leaf);
  EXPECT_FALSE(verify_inclusion(leaf, UINT64_MAX - 1, UINT64_MAX, junk, root));
  EXPECT_FALSE(verify_inclusion(leaf, UINT64_MAX - 1, UINT64_MAX, std::span(junk).first(64), root));
  EXPECT_FALSE(verify_inclusion(leaf, 0, UINT64_MAX, std::span(junk).first(64), root));
  EXPECT_FALSE(verify_consistency(UINT64_MAX - 1, UINT64_MAX, root, root, junk));
  EXPECT_FALSE(verify_consistency(1, UINT64_MAX, root, root, std::span(junk).first(64)));
  EXPECT_FALSE(verify_consistency(uint64_t{1} << 63, UINT64_MAX, root, root, std::span(junk).first(64)));
}

TEST(Merkle, LargerLogMatchesReferenceRoot) {
  // Enough leaves for 17 levels, appended one at a time; checks the frontier at sizes around powers of two.
  auto hashes = random_leaf_hashes(70'000, 70'000);
  MerkleLog log;
  for (uint64_t k = 0; k < hashes.size(); ++k) {
    log.append_leaf_hash(hashes[k]);
    const uint64_t s = k + 1;
    if ((s & (s - 1)) == 0 || ((s + 1) & s) == 0 || s == hashes.size()) {
      ASSERT_EQ(log.root(), ref_mth(std::span(hashes).first(s))) << s;
    }
  }
  // A proof at the far right edge and deep inside, checked against the reference root.
  const Digest root = ref_mth(hashes);
  for (uint64_t i : {uint64_t{0}, uint64_t{65535}, uint64_t{65536}, uint64_t{69'999}}) {
    auto p = log.inclusion_proof(i, hashes.size());
    ASSERT_TRUE(p.is_ok());
    EXPECT_TRUE(verify_inclusion(hashes[i], i, hashes.size(), *p, root)) << i;
  }
  auto c = log.consistency_proof(65'537, 70'000);
  ASSERT_TRUE(c.is_ok());
  EXPECT_TRUE(verify_consistency(65'537, 70'000, ref_mth(std::span(hashes).first(65'537)), root, *c));
}

}  // namespace
}  // namespace glassbook::crypto
