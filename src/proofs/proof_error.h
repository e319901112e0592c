// The verifiers' outcomes: one specific code for each way a proof or a root can be wrong.
#pragma once
#include <cstdint>
#include <string>

namespace glassbook::proofs {

enum class ProofError : uint8_t {
  Ok = 0,
  Malformed,               // not JSON, a member missing or of the wrong kind, a hash not 64 hex digits
  NotAString,              // an integer written as a JSON number (they must be strings)
  NonCanonicalNumber,      // "007", "+7", "7.0", "7e0", " 7", "": not the one decimal text of a number
  NegativeValue,           // "-7": balances and sums are unsigned
  ValueOutOfRange,         // a leaf value above 2^64 - 1, a sum above 2^128 - 1, a depth above 32
  UnsupportedVersion,      // not format 1
  RootNotSigned,           // the root's signature does not check under its key
  WrongExchangeKey,        // the root is signed, but not by the key the verifier expects
  RootMismatch,            // the proof is about another root (hash, snapshot or depth)
  AssetCountMismatch,      // values or sums not one per asset of the root
  PathLength,              // path length differs from the root's depth
  IndexOutOfRange,         // leaf index at or above 2^depth
  UserCommitmentMismatch,  // uc is not HMAC(k_u, tag || snapshot_id || account)
  LeafHashMismatch,        // the leaf hash given is not the leaf of the account's data (an internal node?)
  SumOverflow,             // a node's sums wrap 2^128
  SumNotChildrenSum,       // the root's sums are not the sums of its two children (a max, a forged total)
  RootHashMismatch,        // the path does not lead to the root's hash
  AuditMismatch,           // a rebuilt tree or the ledger differs from the published root
};

const char* proof_error_name(ProofError e);

struct ProofStatus {
  ProofError code = ProofError::Ok;
  std::string message;
  bool ok() const { return code == ProofError::Ok; }
  std::string to_string() const { return ok() ? "OK" : std::string(proof_error_name(code)) + ": " + message; }
};

inline ProofStatus proof_fail(ProofError code, std::string message) { return {code, std::move(message)}; }

}  // namespace glassbook::proofs
