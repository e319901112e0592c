// The adaptive group-commit wait and the arrival rate it is decided from.
#include "journal/group_commit.h"

#include <algorithm>
#include <cmath>

namespace glassbook::journal {

GroupCommitPolicy policy_within(const GroupCommitPolicy& policy, size_t most) {
  GroupCommitPolicy p = policy;
  p.target_records = std::max<size_t>(1, std::min(p.target_records, most));
  p.min_expected = std::min(p.min_expected, p.target_records);
  return p;
}

std::chrono::nanoseconds group_commit_wait(const GroupCommitPolicy& policy, size_t waiting, double arrivals_per_second) {
  using std::chrono::nanoseconds;
  if (policy.max_wait.count() <= 0 || waiting >= policy.target_records || !(arrivals_per_second > 0)) return nanoseconds{0};
  const double max_wait_s = std::chrono::duration<double>(policy.max_wait).count();
  if (arrivals_per_second * max_wait_s < static_cast<double>(policy.min_expected)) return nanoseconds{0};
  const double needed_s = static_cast<double>(policy.target_records - waiting) / arrivals_per_second;
  const nanoseconds bound = policy.max_wait;
  if (needed_s >= max_wait_s) return bound;
  return std::min(bound, nanoseconds{std::llround(needed_s * 1e9)});
}

bool ArrivalRate::observe(uint64_t arrived, std::chrono::nanoseconds elapsed) {
  if (elapsed.count() <= 0) return false;
  const double sample = static_cast<double>(arrived) / std::chrono::duration<double>(elapsed).count();
  rate_ = seen_ ? rate_ + (sample - rate_) / 4 : sample;
  seen_ = true;
  return true;
}

}  // namespace glassbook::journal
