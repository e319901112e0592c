// BucketDigests: the group and span levels and the root over the spans.
#include "engine/bucket_digests.h"

namespace glassbook::engine {

void BucketDigests::rehash_above() {
  // dirty_ is sorted and unique, so its groups and spans come in order, each in one run.
  std::vector<uint64_t> spans;
  crypto::Sha256 h;
  for (size_t i = 0; i < dirty_.size();) {
    const uint64_t gi = dirty_[i] >> kFanoutBits;
    while (i < dirty_.size() && (dirty_[i] >> kFanoutBits) == gi) ++i;
    auto it = groups_.find(gi);
    if (it->second.present == 0) {
      groups_.erase(it);
    } else {
      const Group& g = it->second;
      for (unsigned b = 0; b < kFanout; ++b)
        if (g.present & (1u << b)) {
          h.update_u8(static_cast<uint8_t>(b));
          h.update(g.bucket[b].data(), g.bucket[b].size());
        }
      it->second.digest = h.finish();
    }
    if (spans.empty() || spans.back() != (gi >> kFanoutBits)) spans.push_back(gi >> kFanoutBits);
  }
  for (uint64_t si : spans) {
    bool any = false;
    for (unsigned j = 0; j < kFanout; ++j) {
      auto it = groups_.find((si << kFanoutBits) | j);
      if (it == groups_.end()) continue;
      any = true;
      h.update_u8(static_cast<uint8_t>(j));
      h.update(it->second.digest.data(), it->second.digest.size());
    }
    const crypto::Digest d = h.finish();
    if (any)
      spans_[si] = d;
    else
      spans_.erase(si);
  }
}

crypto::Digest BucketDigests::top() const {
  crypto::Sha256 h;
  h.update_u64(spans_.size());
  for (const auto& [index, d] : spans_) {
    h.update_u64(index);
    h.update(d.data(), d.size());
  }
  return h.finish();
}

}  // namespace glassbook::engine
