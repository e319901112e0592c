// Building the liabilities tree on two threads, and its root and inclusion proofs (liabilities_tree.h).
#include "proofs/liabilities_tree.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "core/assert.h"

namespace glassbook::proofs {

namespace {

// Below this many items a second thread costs more than it saves.
constexpr size_t kParallelMin = 4096;

// Runs work(begin, end) over [0, count): the second half on a thread of its own when worth it.
template <class F>
void in_halves(size_t count, unsigned threads, F&& work) {
  if (threads < 2 || count < kParallelMin) {
    work(size_t{0}, count);
    return;
  }
  const size_t mid = count / 2;
  std::thread second([&] { work(mid, count); });
  work(size_t{0}, mid);
  second.join();
}

// A leaf's place in the order: the first 8 bytes of its uc (or padding hash), then its id.
struct SortKey {
  uint64_t prefix;
  uint32_t id;  // < accounts: an account row; otherwise padding number id - accounts
};

uint64_t prefix_of(const Digest& d) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | d[i];
  return v;
}

}  // namespace

Result<LiabilitiesTree> LiabilitiesTree::build(const LiabilityTable& table, const Digest& secret, TreeOptions options) {
  const size_t count = table.accounts.size();
  const size_t n = table.asset_count();
  if (n == 0 || n > kMaxAssets) return Status(Error::InvalidArgument, fmt::format("{} assets: 1 to {} are allowed", n, kMaxAssets));
  GB_ASSERT(table.values.size() == count * n);
  unsigned depth = options.depth;
  if (depth == 0) {
    depth = 1;
    while (depth < kMaxDepth && (uint64_t{1} << depth) < count) ++depth;
  }
  if (depth > kMaxDepth) return Status(Error::InvalidArgument, fmt::format("depth {} is above {}", depth, kMaxDepth));
  const uint64_t leaves = uint64_t{1} << depth;
  if (leaves < count)
    return Status(Error::InvalidArgument, fmt::format("depth {} holds {} leaves, fewer than the {} accounts", depth, leaves, count));
  const unsigned threads = std::clamp(options.threads, 1u, 2u);
  const size_t pads = leaves - count;

  LiabilitiesTree t;
  t.depth_ = depth;
  t.asset_count_ = n;
  t.snapshot_id_ = table.snapshot_id;
  t.secret_ = secret;
  t.accounts_ = table.accounts;

  // 1. Each account's commitment uc, and each padding leaf's keyed random hash.
  std::vector<Digest> ucs(count), pad_hashes(pads);
  in_halves(count + pads, threads, [&](size_t begin, size_t end) {
    Hmac h;
    SecretMac keyed(secret);
    for (size_t i = begin; i < end; ++i) {
      if (i < count) {
        ucs[i] = user_commitment(h, keyed.user_key(table.accounts[i]), table.snapshot_id, table.accounts[i]);
      } else {
        pad_hashes[i - count] = keyed.padding_hash(table.snapshot_id, i - count);
      }
    }
  });

  // 2. The order of the leaves: by uc (padding by its hash), so that an index says nothing of an
  // account's id or age. Each half sorted on its own thread, then merged.
  auto digest_of = [&](uint32_t id) -> const Digest& { return id < count ? ucs[id] : pad_hashes[id - count]; };
  std::vector<SortKey> order(leaves);
  for (size_t i = 0; i < leaves; ++i) order[i] = {prefix_of(digest_of(static_cast<uint32_t>(i))), static_cast<uint32_t>(i)};
  auto less = [&](const SortKey& a, const SortKey& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return digest_of(a.id) < digest_of(b.id);
  };
  if (threads >= 2 && leaves >= kParallelMin) {
    const auto mid = order.begin() + static_cast<ptrdiff_t>(leaves / 2);
    std::thread second([&] { std::sort(mid, order.end(), less); });
    std::sort(order.begin(), mid, less);
    second.join();
    std::inplace_merge(order.begin(), mid, order.end(), less);
  } else {
    std::sort(order.begin(), order.end(), less);
  }

  // 3. Leaves.
  t.index_of_row_.assign(count, 0);
  t.leaf_values_.assign(leaves * n, 0);
  t.hashes_.resize(depth + 1);
  t.sums_.resize(depth + 1);
  t.hashes_[0].resize(leaves);
  in_halves(leaves, threads, [&](size_t begin, size_t end) {
    for (size_t p = begin; p < end; ++p) {
      const uint32_t id = order[p].id;
      if (id >= count) {
        t.hashes_[0][p] = pad_hashes[id - count];
        continue;
      }
      const uint64_t* row = table.row(id);
      std::copy(row, row + n, t.leaf_values_.begin() + static_cast<ptrdiff_t>(p * n));
      t.hashes_[0][p] = leaf_hash(table.snapshot_id, ucs[id], p, std::span(row, n));
      t.index_of_row_[id] = static_cast<uint32_t>(p);
    }
  });
  ucs = {};
  pad_hashes = {};
  order = {};

  // 4. Levels 1..depth, each child's hash and sums committed in its parent. Leaf values are below
  // 2^64, so level 1 cannot wrap; above it every addition is checked.
  std::atomic<bool> overflow{false};
  for (unsigned level = 1; level <= depth; ++level) {
    const size_t width = size_t{1} << (depth - level);
    const std::vector<Digest>& below = t.hashes_[level - 1];
    std::vector<Digest>& hashes = t.hashes_[level];
    std::vector<U128>& sums = t.sums_[level];
    hashes.resize(width);
    sums.assign(width * n, 0);
    in_halves(width, threads, [&](size_t begin, size_t end) {
      std::vector<U128> left(n), right(n);
      for (size_t i = begin; i < end; ++i) {
        const size_t l = 2 * i, r = 2 * i + 1;
        if (level == 1) {
          for (size_t x = 0; x < n; ++x) {
            left[x] = t.leaf_values_[l * n + x];
            right[x] = t.leaf_values_[r * n + x];
          }
        } else {
          const std::vector<U128>& s = t.sums_[level - 1];
          std::copy_n(s.begin() + static_cast<ptrdiff_t>(l * n), n, left.begin());
          std::copy_n(s.begin() + static_cast<ptrdiff_t>(r * n), n, right.begin());
        }
        for (size_t x = 0; x < n; ++x) {
          const U128 total = left[x] + right[x];
          if (total < left[x]) overflow.store(true, std::memory_order_relaxed);
          sums[i * n + x] = total;
        }
        hashes[i] = node_hash(static_cast<uint8_t>(level), below[l], left, below[r], right);
      }
    });
    if (overflow.load()) return Status(Error::Overflow, fmt::format("a sum at level {} wraps 2^128", level));
  }
  return t;
}

LiabilitiesRoot LiabilitiesTree::root(const LiabilityTable& table) const {
  LiabilitiesRoot r;
  r.hash = root_hash();
  r.assets = table.assets;
  r.sums.assign(root_sums().begin(), root_sums().end());
  r.depth = depth_;
  r.snapshot_id = snapshot_id_;
  r.checkpoint_seq = table.checkpoint_seq;
  r.time = table.time;
  return r;
}

std::optional<InclusionProof> LiabilitiesTree::proof(AccountId account) const {
  const auto it = std::lower_bound(accounts_.begin(), accounts_.end(), account);
  if (it == accounts_.end() || *it != account) return std::nullopt;
  const size_t row = static_cast<size_t>(it - accounts_.begin());
  const size_t n = asset_count_;
  InclusionProof p;
  p.snapshot_id = snapshot_id_;
  p.root = root_hash();
  p.depth = depth_;
  p.account = account;
  // One per thread: fetching the algorithm and making a context cost more than the MAC itself.
  thread_local Hmac h;
  p.user_key = user_key(h, secret_, account);
  p.uc = user_commitment(h, p.user_key, snapshot_id_, account);
  p.index = index_of_row_[row];
  p.values.assign(leaf_values_.begin() + static_cast<ptrdiff_t>(p.index * n),
                  leaf_values_.begin() + static_cast<ptrdiff_t>((p.index + 1) * n));
  p.leaf_hash = hashes_[0][p.index];
  uint64_t at = p.index;
  for (unsigned level = 0; level < depth_; ++level) {
    const uint64_t sibling = at ^ 1;
    PathStep step;
    step.hash = hashes_[level][sibling];
    step.sums.resize(n);
    for (size_t x = 0; x < n; ++x)
      step.sums[x] = level == 0 ? U128{leaf_values_[sibling * n + x]} : sums_[level][sibling * n + x];
    p.path.push_back(std::move(step));
    at >>= 1;
  }
  return p;
}

}  // namespace glassbook::proofs
