// EIP-1559 (type 2) Ethereum transactions: the fields, the signing hash, the signed raw bytes that
// eth_sendRawTransaction takes, their transaction hash, and strict decoding with the sender's
// recovery. The access list is always empty (transfers need none).
#pragma once
#include <cstdint>
#include <vector>

#include "core/result.h"
#include "custody/eth_address.h"
#include "custody/eth_hex.h"
#include "custody/eth_key.h"

namespace glassbook::custody::eth {

struct Eip1559Transaction {
  uint64_t chain_id = 0;
  uint64_t nonce = 0;
  uint64_t max_priority_fee_per_gas = 0;  // wei
  uint64_t max_fee_per_gas = 0;           // wei
  uint64_t gas_limit = 0;
  AddressBytes to{};
  Uint256 value{};  // wei
  Bytes data;       // call data (an ERC-20 transfer's), empty for an ETH transfer
  bool operator==(const Eip1559Transaction&) const = default;
};

struct SignedTransaction {
  Eip1559Transaction tx;
  RecoverableSignature signature;
  Bytes raw;   // 0x02 || rlp([...fields, y parity, r, s])
  Hash hash{};  // Keccak-256 of raw: the transaction's id
};

// Keccak-256 of 0x02 || rlp([chain id, nonce, priority fee, max fee, gas, to, value, data, []]).
Hash signing_hash(const Eip1559Transaction& tx);
SignedTransaction sign_transaction(const Eip1559Transaction& tx, const EthKey& key);
// The raw bytes of `tx` with a given signature (a test alters the signature through it).
Bytes encode_signed(const Eip1559Transaction& tx, const RecoverableSignature& signature);

struct DecodedTransaction {
  SignedTransaction signed_tx;
  AddressBytes sender{};
};
// Decodes raw type-2 bytes strictly (canonical RLP, minimal integers, 20-byte recipient, empty
// access list) and recovers the sender; InvalidArgument or InvalidSignature saying what is wrong.
Result<DecodedTransaction> decode_signed(std::span<const uint8_t> raw);

}  // namespace glassbook::custody::eth
