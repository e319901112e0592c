// The replay guard: a set of live signatures and a heap of their expiries.
#include "api/replay_guard.h"

namespace glassbook::api {

void ReplayGuard::forget_expired(int64_t now_ms) {
  while (!expiries_.empty() && expiries_.top().first < now_ms) {
    seen_.erase(expiries_.top().second);
    expiries_.pop();
  }
}

Status ReplayGuard::first_use(const crypto::Signature& signature, int64_t expires_ms, int64_t now_ms) {
  std::lock_guard lk(mu_);
  forget_expired(now_ms);
  if (seen_.contains(signature))
    return Status(Error::InvalidArgument, "duplicate request: this signed request was already received");
  // Counted in expiries, which include released signatures until their windows close, so that
  // memory stays within max_entries however many requests are released.
  if (expiries_.size() >= max_entries_) return Status(Error::Overloaded, "too many requests in flight, retry later");
  seen_.insert(signature);
  expiries_.emplace(expires_ms, signature);
  return {};
}

// Its expiry stays in the heap: popping it later erases nothing, or the same signature accepted again
// (the same signed text, so the same expiry).
void ReplayGuard::release(const crypto::Signature& signature) {
  std::lock_guard lk(mu_);
  seen_.erase(signature);
}

size_t ReplayGuard::size() const {
  std::lock_guard lk(mu_);
  return seen_.size();
}

}  // namespace glassbook::api
