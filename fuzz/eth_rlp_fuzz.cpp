// libFuzzer target: the RLP decoder and the EIP-1559 transaction decoder. Any input is refused or
// accepted without crashing, and what is accepted is canonical: encoding it again gives back the
// input byte for byte (so no two encodings decode to the same value).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "custody/eth_tx.h"
#include "custody/rlp.h"

namespace {

using namespace glassbook::custody;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "eth_rlp_fuzz: %s\n", what);
  std::abort();
}

rlp::Bytes reencode(const rlp::Item& item) {
  if (!item.is_list) return rlp::encode_bytes(item.bytes);
  std::vector<rlp::Bytes> children;
  for (const rlp::Item& c : item.items) children.push_back(reencode(c));
  return rlp::encode_list(children);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> input(data, size);
  if (auto item = rlp::decode(input)) {
    if (reencode(*item) != rlp::Bytes(input.begin(), input.end())) fail("an accepted RLP input is not canonical");
  }
  rlp::Bytes typed{0x02};
  typed.insert(typed.end(), input.begin(), input.end());
  if (auto tx = eth::decode_signed(typed)) {
    if (eth::encode_signed(tx->signed_tx.tx, tx->signed_tx.signature) != typed) fail("an accepted transaction does not encode back to itself");
  }
  return 0;
}
