// A tlog-witness (c2sp.org/tlog-witness): checks a log's checkpoint against the last one it cosigned and a
// consistency proof, refuses rollbacks and forks with an alarm, and cosigns (tlog-cosignature/v1).
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "crypto/ed25519.h"
#include "journal/checkpoint.h"
#include "journal/cosignature.h"
#include "journal/storage.h"
#include "journal/witness_state.h"

namespace glassbook::journal {

// POST <prefix>/add-checkpoint, body:
//   "old <size>\n"              the size of the last checkpoint the client believes this witness cosigned
//   "<base64 hash>\n" ...       0..63 lines: RFC 6962 consistency proof from <size> to the checkpoint's
//   "\n"
//   <signed checkpoint note>
inline constexpr std::string_view kAddCheckpointPath = "/add-checkpoint";
inline constexpr size_t kMaxProofLines = 63;
inline constexpr size_t kMaxAddCheckpointBytes = kMaxNoteBytes + 64 * 64;
inline constexpr std::string_view kSizeContentType = "text/x.tlog.size";

struct AddCheckpointRequest {
  uint64_t old_size = 0;
  std::vector<crypto::Digest> proof;
  std::string note;
};

// The request body; InvalidArgument naming what is wrong.
std::string encode_add_checkpoint(const AddCheckpointRequest& request);
Result<AddCheckpointRequest> parse_add_checkpoint(std::string_view body);

struct WitnessReply {
  unsigned status = 200;  // 200 cosigned; 400, 403, 404, 409, 422 as the spec; 500 state not written
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;       // 200: the cosignature line(s); 409: "<size>\n"; otherwise the reason
  std::string alarm;      // non-empty for a rollback or a fork: names both checkpoints
};

struct WitnessOptions {
  std::string state_dir;
  std::string name;                 // the witness's key name (schema-less URL)
  crypto::KeyPair key;              // its cosigning key
  std::vector<NoteVerifier> logs;   // the logs it witnesses: origin = verifier name
  Storage* storage = nullptr;       // file_storage() when null
};

class Witness {
 public:
  // Loads each log's state (Corruption for a damaged one) and any earlier alarm. InvalidArgument for
  // no log, two logs with one origin, or an invalid name.
  static Result<std::unique_ptr<Witness>> open(WitnessOptions options);

  // The whole add-checkpoint call; `now` is the POSIX time put in the cosignature. Thread-safe:
  // checking the stored size and replacing it happen under one lock (the spec's race). An alarm is
  // appended (synced) to the state directory's alarms.log before the reply is returned.
  WitnessReply add_checkpoint(std::string_view request_body, uint64_t now);

  const CosignerKey& key() const { return key_; }
  // Every alarm raised, by this process or found in alarms.log at open; "" when none.
  std::string alarms() const;
  // The size of the last checkpoint cosigned for `origin` (0: none).
  uint64_t cosigned_size(std::string_view origin) const;

 private:
  struct Log {
    NoteVerifier verifier;
    std::optional<WitnessedCheckpoint> last;
  };
  explicit Witness(WitnessOptions options, CosignerKey key);
  WitnessReply raise(WitnessReply reply, const Log& log, std::string_view what, const Checkpoint& offered,
                     std::string_view offered_note);

  WitnessOptions options_;
  Storage& storage_;
  CosignerKey key_;
  mutable std::mutex mu_;
  std::vector<Log> logs_;
  std::string alarms_;
};

}  // namespace glassbook::journal
