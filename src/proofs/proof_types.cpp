// Signing and checking the liabilities root (proof_types.h).
#include "proofs/proof_types.h"

#include <algorithm>

namespace glassbook::proofs {

std::string root_signing_bytes(const LiabilitiesRoot& r) {
  std::string out(kRootTag);
  uint8_t b[16];
  auto be = [&](uint64_t v, size_t n) {
    put_be(b, v, n);
    out.append(reinterpret_cast<const char*>(b), n);
  };
  be(r.version, 4);
  out.append(reinterpret_cast<const char*>(r.hash.data()), r.hash.size());
  be(r.depth, 1);
  out.append(reinterpret_cast<const char*>(r.snapshot_id.data()), r.snapshot_id.size());
  be(r.checkpoint_seq, 8);
  be(static_cast<uint64_t>(r.time), 8);
  be(r.assets.size(), 2);
  for (const std::string& s : r.assets) {
    const size_t len = std::min<size_t>(s.size(), 255);  // symbols are short; the length stays one byte
    be(len, 1);
    out.append(s, 0, len);
  }
  be(r.sums.size(), 2);
  for (U128 v : r.sums) {
    put_u128(b, v);
    out.append(reinterpret_cast<const char*>(b), 16);
  }
  return out;
}

void sign_root(LiabilitiesRoot& r, const crypto::KeyPair& key) {
  r.public_key = key.public_key();
  r.signature = key.sign(root_signing_bytes(r));
}

bool root_signature_valid(const LiabilitiesRoot& r) {
  return crypto::verify(r.public_key, root_signing_bytes(r), r.signature);
}

}  // namespace glassbook::proofs
