// One add-checkpoint exchange with a witness, from the log's side: the old size, the proof, one retry after a 409.
#include "journal/witness_client.h"

#include <fmt/format.h>

#include "journal/checkpoint.h"
#include "journal/witness.h"

namespace glassbook::journal {

namespace {

WitnessOutcome outcome(WitnessOutcome::Kind kind, std::string message) {
  WitnessOutcome o;
  o.kind = kind;
  o.message = std::move(message);
  return o;
}

std::string trimmed(std::string_view s) {
  if (s.size() > 512) s = s.substr(0, 512);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

WitnessOutcome request_cosignature(const WitnessTransport& transport, const ConsistencyProver& prover, const CosignerKey& witness,
                                   const std::string& note, uint64_t tree_size, uint64_t& known_size) {
  using Kind = WitnessOutcome::Kind;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (known_size > tree_size)
      return outcome(Kind::Refused, fmt::format("the witness already cosigned {} records, more than this checkpoint's {}: "
                                                "the log was rolled back",
                                                known_size, tree_size));
    AddCheckpointRequest req;
    req.old_size = known_size;
    req.note = note;
    if (known_size > 0 && known_size < tree_size) {
      auto proof = prover(known_size, tree_size);
      if (!proof) return outcome(Kind::Refused, "no consistency proof from the witness's size: " + proof.status().message());
      req.proof = std::move(proof).value();
    }
    auto reply = transport(encode_add_checkpoint(req));
    if (!reply) return outcome(Kind::Unreachable, reply.status().message());
    if (reply->status == 200) {
      auto cosigned = add_signature_lines(note, reply->body);
      if (!cosigned) return outcome(Kind::Refused, "the witness's answer is not signature lines: " + cosigned.status().message());
      auto verified = verify_cosignatures(*cosigned, std::span<const CosignerKey>(&witness, 1));
      if (!verified || verified->empty())
        return outcome(Kind::Refused, "the witness's answer holds no valid cosignature by its key" +
                                          (verified ? std::string() : ": " + verified.status().message()));
      known_size = tree_size;
      WitnessOutcome ok;
      ok.kind = Kind::Cosigned;
      ok.note = std::move(cosigned).value();
      return ok;
    }
    if (reply->status == 409) {
      const std::string body = trimmed(reply->body);
      const auto size = parse_canonical_decimal(body);
      if (!size) return outcome(Kind::Refused, fmt::format("409 with a body that is not a size: {}", body));
      if (*size == known_size)
        return outcome(Kind::Refused, fmt::format("409: the witness cosigned another tree of {} records (a fork)", *size));
      known_size = *size;
      continue;
    }
    if (reply->status >= 500) return outcome(Kind::Unreachable, fmt::format("{}: {}", reply->status, trimmed(reply->body)));
    return outcome(Kind::Refused, fmt::format("{}: {}", reply->status, trimmed(reply->body)));
  }
  return outcome(WitnessOutcome::Kind::Refused, fmt::format("409 twice: the witness's size moved to {} meanwhile", known_size));
}

}  // namespace glassbook::journal
