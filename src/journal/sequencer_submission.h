// A command on its way into the sequencer: the body, its signer's signature, the exact signed bytes.
#pragma once
#include <cstdint>
#include <string>

#include "core/result.h"
#include "crypto/ed25519.h"
#include "engine/command.h"

namespace glassbook::journal {

// Which input queue a command waits in. Cancels have their own queue, drained first, so that a
// flood of new orders (a flash crash) never leaves users unable to cancel.
enum class Lane : uint8_t { Normal = 0, Cancel = 1 };

// The lane a command belongs in: Cancel for CancelOrder and CancelAll (and a SignedRequest whose
// single instruction is orderCancel or orderCancelAll), Normal for everything else.
Lane lane_of(const engine::CommandBody& body);

// One command as the gateway hands it over. The signature has ALREADY been verified on the
// caller's thread; the sequencer does not verify it again. `signed_bytes` are exactly the bytes the
// client signed and are journaled verbatim: engine::signing_bytes(body), which for a SignedRequest
// is the client's request text itself.
struct Submission {
  engine::CommandBody body;
  crypto::PublicKey signer{};
  crypto::Signature signature{};
  std::string signed_bytes;
  uint8_t kind = 0;  // body.index() (also the kind byte of natively signed bytes)
  Lane lane = Lane::Normal;
};

// Builds a Submission from a signed command (its seq and timestamp are ignored: the sequencer
// assigns its own). The lane is lane_of(body).
Submission submission_of(const engine::SignedCommand& command);

// Checks the parts of a submission the journal and replay depend on: kind equals body.index(),
// signed_bytes are within the record limit and encode exactly `body` (otherwise replay would not
// reproduce the live state), and only cancels use the Cancel lane. Error::InvalidArgument otherwise.
// Runs on the submitting thread. When gateways accept other signed encodings, the byte comparison
// becomes "the signed bytes decode to `body`".
Status check_submission(const Submission& s);

}  // namespace glassbook::journal
