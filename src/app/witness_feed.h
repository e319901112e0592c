// The exchange's witness client: offers each new checkpoint to the witnesses genesis names, off the engine
// thread, retried and bounded; gathers their cosignatures beside the checkpoint and reports refusals.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"
#include "engine/config.h"
#include "journal/cosignature.h"
#include "journal/node.h"
#include "app/http_client.h"

namespace glassbook::app {

struct WitnessFeedOptions {
  std::chrono::milliseconds poll{200};         // how often the newest checkpoint is looked at
  std::chrono::milliseconds timeout{2'000};    // per request
  std::chrono::milliseconds retry{1'000};      // after an unreachable witness, doubled up to 16x
};

// One thread of its own. Bounded: only the node's newest checkpoint is ever pending (a newer one
// supersedes an older one not yet cosigned: a witness's cosignature on the newer one covers the
// older tree too, through the consistency proof it checked), and each witness is tried at most once
// per poll. The engine and journal threads never wait for a witness.
class WitnessFeed {
 public:
  struct WitnessState {
    std::string name;
    std::string url;
    uint64_t cosigned_size = 0;  // of the newest checkpoint it cosigned for us (0: none yet)
    std::string refusal;         // its last refusal (a rollback or fork alarm on its side), "" if none
    std::string unreachable;     // the last transport error, "" once it answered again
  };

  // Loads the cosigned checkpoint stored in the node's directory and starts the thread.
  static Result<std::unique_ptr<WitnessFeed>> start(journal::Node& node, std::string dir, const engine::WitnessPolicy& policy,
                                                    WitnessFeedOptions options = {});
  ~WitnessFeed();
  void stop();

  // The newest checkpoint with the cosignature lines gathered for it, when it is the node's newest.
  std::optional<std::string> cosigned_checkpoint() const;
  std::vector<WitnessState> witnesses() const;
  // The witnesses' state as a JSON array, for the health endpoint.
  std::string witnesses_json() const;
  // How many valid cosignatures the newest checkpoint has gathered, and how many it needs.
  size_t cosignatures() const;
  uint32_t quorum() const { return quorum_; }

 private:
  WitnessFeed(journal::Node& node, std::string dir, const engine::WitnessPolicy& policy, WitnessFeedOptions options);
  void run();
  void offer(const std::string& note, uint64_t tree_size);

  journal::Node& node_;
  const std::string dir_;
  const WitnessFeedOptions options_;
  const uint32_t quorum_;
  std::vector<journal::CosignerKey> keys_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<WitnessState> state_;
  std::vector<std::chrono::steady_clock::time_point> next_try_;
  std::vector<std::chrono::milliseconds> backoff_;
  std::string note_;         // the newest checkpoint offered, and the lines gathered for it
  std::string cosigned_;     // note_ with those lines
  uint64_t note_size_ = 0;
  std::vector<bool> done_;   // per witness: cosigned or refused note_
  std::vector<uint64_t> known_size_;
  std::vector<std::unique_ptr<HttpClient>> clients_;  // feed thread only  // feed thread only: what each witness last said it cosigned
  std::thread thread_;
};

}  // namespace glassbook::app
