// Submit-and-wait for the demo's set-up commands (registrations, deposits, the insurance fund's capital).
#include "app/demo_submit.h"

#include <fmt/format.h>

#include <future>
#include <memory>

#include "journal/sequencer_submission.h"

namespace glassbook::app {

Status submit_and_wait(journal::Node& node, const crypto::KeyPair& key, engine::CommandBody body,
                       std::chrono::milliseconds timeout) {
  auto sc = engine::sign_command(key, 0, 0, std::move(body));
  // Shared with the completion, which may run after a timed-out wait has returned.
  auto promise = std::make_shared<std::promise<Status>>();
  auto done = promise->get_future();
  auto ticket = node.submit(journal::submission_of(sc), [promise](SeqNo, Timestamp, std::span<const engine::Event> events) {
    Status s;
    for (const auto& e : events)
      if (e.kind == engine::EventKind::Rejected) s = Status(e.error, fmt::format("refused: {}: {}", error_name(e.error), e.message));
    promise->set_value(s);
  });
  if (!ticket) return ticket.status();
  if (done.wait_for(timeout) != std::future_status::ready) return Status(Error::Io, "no answer from the node in time");
  return done.get();
}

}  // namespace glassbook::app
