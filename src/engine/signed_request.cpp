// The engine's handler of SignedRequest: Backpack's signed text, parsed, checked for expiry,
// translated with the engine's own configuration and key->account map, then applied.
#include <fmt/format.h>

#include <type_traits>
#include <variant>

#include "engine/engine.h"
#include "engine/request_text.h"
#include "engine/request_translate.h"

namespace glassbook::engine {

Status Engine::on(const Command& c, const SignedRequest& r) {
  auto text = parse_request_text(r.text);
  if (!text) return text.status();
  const std::optional<AccountId> account = account_of(c.signer);
  if (!account) return reject(Error::UnknownAccount, "no account for this key");
  // The window closes at timestamp + window (ms); the sequencer's time (µs) is journaled, so every
  // replay gives the same answer. Computed in 128 bits: a huge timestamp must not wrap.
  const __int128 closes_us = (static_cast<__int128>(text->timestamp_ms) + text->window_ms) * 1000;
  if (c.timestamp > closes_us)
    return reject(Error::Expired, "request expired: its window closed before it was sequenced");
  if (static_cast<__int128>(text->timestamp_ms - kMaxRequestLeadMs) * 1000 > c.timestamp)
    return reject(Error::Expired, fmt::format("request timestamp {} ms is more than {} s ahead of the sequencer's clock",
                                              text->timestamp_ms, kMaxRequestLeadMs / 1000));
  // A request is sequenced at most once: the same signer and text again, while its window is open,
  // is a replay. Only a request that changed the state is remembered (a refused one changes nothing).
  const crypto::Digest digest = SequencedRequests::digest(c.signer, r.text);
  if (requests_.contains(digest))
    return reject(Error::DuplicateRequest, "duplicate request: this signed request was already sequenced");
  auto bodies = translate_request(*text, config_, *account);
  if (!bodies) return bodies.status();
  const Timestamp closes = static_cast<Timestamp>(closes_us);

  auto apply_one = [&](const CommandBody& body) -> Status {
    return std::visit(
        [&](const auto& b) -> Status {
          if constexpr (std::is_same_v<std::decay_t<decltype(b)>, SignedRequest>) {
            return reject(Error::InvalidArgument, "a signed request cannot contain another");  // never translated so
          } else {
            return on(c, b);
          }
        },
        body);
  };
  if (bodies->size() == 1) {
    Status s = apply_one(bodies->front());
    if (s) requests_.add(digest, closes, c.timestamp);
    return s;
  }

  // A batch: each order stands alone. A refused order leaves no events but its Rejected and, like
  // any refused command, changed no state.
  bool changed = false;
  for (const CommandBody& body : *bodies) {
    const size_t mark = events_.size();
    Status s = apply_one(body);
    changed = changed || s;
    if (s) continue;
    events_.resize(mark);
    const auto& p = std::get<PlaceOrder>(body);  // batches hold orders only (translate_request)
    Event e;
    e.kind = EventKind::Rejected;
    e.error = s.code();
    e.market = p.market;
    e.account = p.account;
    e.client_id = p.client_id;
    e.message = s.message();
    last_error_ = s.message();
    events_.push_back(std::move(e));
  }
  if (changed) requests_.add(digest, closes, c.timestamp);
  return {};
}

}  // namespace glassbook::engine
