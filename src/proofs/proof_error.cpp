// Names of the verifiers' error codes (proof_error.h).
#include "proofs/proof_error.h"

namespace glassbook::proofs {

const char* proof_error_name(ProofError e) {
  switch (e) {
    case ProofError::Ok: return "Ok";
    case ProofError::Malformed: return "Malformed";
    case ProofError::NotAString: return "NotAString";
    case ProofError::NonCanonicalNumber: return "NonCanonicalNumber";
    case ProofError::NegativeValue: return "NegativeValue";
    case ProofError::ValueOutOfRange: return "ValueOutOfRange";
    case ProofError::UnsupportedVersion: return "UnsupportedVersion";
    case ProofError::RootNotSigned: return "RootNotSigned";
    case ProofError::WrongExchangeKey: return "WrongExchangeKey";
    case ProofError::RootMismatch: return "RootMismatch";
    case ProofError::AssetCountMismatch: return "AssetCountMismatch";
    case ProofError::PathLength: return "PathLength";
    case ProofError::IndexOutOfRange: return "IndexOutOfRange";
    case ProofError::UserCommitmentMismatch: return "UserCommitmentMismatch";
    case ProofError::LeafHashMismatch: return "LeafHashMismatch";
    case ProofError::SumOverflow: return "SumOverflow";
    case ProofError::SumNotChildrenSum: return "SumNotChildrenSum";
    case ProofError::RootHashMismatch: return "RootHashMismatch";
    case ProofError::AuditMismatch: return "AuditMismatch";
  }
  return "Unknown";
}

}  // namespace glassbook::proofs
