// EIP-1559 transactions encoded, signed and decoded (see eth_tx.h).
#include "custody/eth_tx.h"

#include <algorithm>

#include <fmt/format.h>

#include "custody/rlp.h"

namespace glassbook::custody::eth {
namespace {

constexpr uint8_t kType = 0x02;

std::vector<rlp::Bytes> unsigned_fields(const Eip1559Transaction& tx) {
  return {rlp::encode_uint(tx.chain_id),
          rlp::encode_uint(tx.nonce),
          rlp::encode_uint(tx.max_priority_fee_per_gas),
          rlp::encode_uint(tx.max_fee_per_gas),
          rlp::encode_uint(tx.gas_limit),
          rlp::encode_bytes(tx.to),
          rlp::encode_big_uint(tx.value),
          rlp::encode_bytes(tx.data),
          rlp::encode_list({})};
}

Bytes typed(const rlp::Bytes& payload) {
  // Sized once and copied into: growing a one-byte vector trips GCC 12's false -Warray-bounds at -O3.
  Bytes out(payload.size() + 1);
  out[0] = kType;
  std::copy(payload.begin(), payload.end(), out.begin() + 1);
  return out;
}

Status bad(std::string_view what) { return Status(Error::InvalidArgument, fmt::format("EIP-1559 transaction: {}", what)); }

// A canonical RLP integer (no leading zero) of at most `max_bytes` bytes, big-endian into `out`.
Status read_uint(const rlp::Item& item, size_t max_bytes, std::string_view name, std::span<uint8_t> out) {
  if (item.is_list) return bad(fmt::format("{} is a list", name));
  if (item.bytes.size() > max_bytes) return bad(fmt::format("{} is longer than {} bytes", name, max_bytes));
  if (!item.bytes.empty() && item.bytes[0] == 0) return bad(fmt::format("{} has a leading zero", name));
  std::fill(out.begin(), out.end(), 0);
  std::copy(item.bytes.begin(), item.bytes.end(), out.end() - static_cast<ptrdiff_t>(item.bytes.size()));
  return {};
}

Status read_u64(const rlp::Item& item, std::string_view name, uint64_t& out) {
  std::array<uint8_t, 8> b{};
  if (auto s = read_uint(item, 8, name, b); !s) return s;
  out = 0;
  for (uint8_t x : b) out = (out << 8) | x;
  return {};
}

}  // namespace

Hash signing_hash(const Eip1559Transaction& tx) { return keccak256(typed(rlp::encode_list(unsigned_fields(tx)))); }

Bytes encode_signed(const Eip1559Transaction& tx, const RecoverableSignature& signature) {
  std::vector<rlp::Bytes> fields = unsigned_fields(tx);
  fields.push_back(rlp::encode_uint(signature.y_parity));
  fields.push_back(rlp::encode_big_uint(signature.r));
  fields.push_back(rlp::encode_big_uint(signature.s));
  return typed(rlp::encode_list(fields));
}

SignedTransaction sign_transaction(const Eip1559Transaction& tx, const EthKey& key) {
  SignedTransaction out;
  out.tx = tx;
  out.signature = key.sign(signing_hash(tx));
  out.raw = encode_signed(tx, out.signature);
  out.hash = keccak256(out.raw);
  return out;
}

Result<DecodedTransaction> decode_signed(std::span<const uint8_t> raw) {
  if (raw.empty() || raw[0] != kType) return bad("not a type-2 transaction (first byte 0x02)");
  auto item = rlp::decode(raw.subspan(1));
  if (!item) return item.status();
  if (!item->is_list || item->items.size() != 12) return bad("not a list of 12 fields");
  const auto& f = item->items;
  DecodedTransaction d;
  Eip1559Transaction& tx = d.signed_tx.tx;
  if (auto s = read_u64(f[0], "chain id", tx.chain_id); !s) return s;
  if (auto s = read_u64(f[1], "nonce", tx.nonce); !s) return s;
  if (auto s = read_u64(f[2], "max priority fee", tx.max_priority_fee_per_gas); !s) return s;
  if (auto s = read_u64(f[3], "max fee", tx.max_fee_per_gas); !s) return s;
  if (auto s = read_u64(f[4], "gas limit", tx.gas_limit); !s) return s;
  if (f[5].is_list || f[5].bytes.size() != 20) return bad("recipient is not 20 bytes (contract creation is not a transfer)");
  std::copy(f[5].bytes.begin(), f[5].bytes.end(), tx.to.begin());
  if (auto s = read_uint(f[6], 32, "value", tx.value); !s) return s;
  if (f[7].is_list) return bad("data is a list");
  tx.data = f[7].bytes;
  if (!f[8].is_list || !f[8].items.empty()) return bad("access list is not empty");
  RecoverableSignature& sig = d.signed_tx.signature;
  uint64_t parity = 0;
  if (auto s = read_u64(f[9], "y parity", parity); !s) return s;
  if (parity > 1) return bad("y parity is not 0 or 1");
  sig.y_parity = static_cast<uint8_t>(parity);
  if (auto s = read_uint(f[10], 32, "r", sig.r); !s) return s;
  if (auto s = read_uint(f[11], 32, "s", sig.s); !s) return s;
  auto sender = recover_address(signing_hash(tx), sig);
  if (!sender) return sender.status();
  d.sender = *sender;
  d.signed_tx.raw.assign(raw.begin(), raw.end());
  d.signed_tx.hash = keccak256(raw);
  return d;
}

}  // namespace glassbook::custody::eth
