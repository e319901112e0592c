// The JSON of inclusion proofs and roots (docs/proofs.md): every integer a canonical decimal string,
// hashes as 64 lowercase hex digits, key and signature in base64. Written with fmt, read with
// simdjson; a reader reports the first fault with its specific code.
#pragma once
#include <string>
#include <string_view>

#include "proofs/proof_error.h"
#include "proofs/proof_types.h"

namespace glassbook::proofs {

std::string proof_to_json(const InclusionProof& p);
std::string root_to_json(const LiabilitiesRoot& r);

ProofStatus proof_from_json(std::string_view text, InclusionProof& out);
ProofStatus root_from_json(std::string_view text, LiabilitiesRoot& out);

// A canonical unsigned decimal ("0", or digits without a leading zero) at most `max`: NegativeValue
// for "-digits", ValueOutOfRange above max, NonCanonicalNumber for anything else.
ProofStatus parse_canonical(std::string_view text, U128 max, U128& out, std::string_view what);
std::string u128_to_string(U128 v);

}  // namespace glassbook::proofs
