// AccountHistory: open orders, bounded rings and position tracks.
#include "api/account_history.h"

namespace glassbook::api {

namespace {
template <class T>
void push_bounded(std::deque<T>& ring, size_t cap, const T& item) {
  if (cap == 0) return;
  if (ring.size() >= cap) ring.pop_front();
  ring.push_back(item);
}
}  // namespace

void AccountHistory::open(const OrderRecord& order) {
  open_[order.id] = order;
  if (order.client_id != 0) open_by_client_[order.client_id] = order.id;
}

OrderRecord* AccountHistory::open_order(OrderId id) {
  auto it = open_.find(id);
  return it == open_.end() ? nullptr : &it->second;
}

void AccountHistory::close(OrderId id) {
  auto it = open_.find(id);
  if (it == open_.end()) return;
  if (it->second.client_id != 0) {
    auto c = open_by_client_.find(it->second.client_id);
    if (c != open_by_client_.end() && c->second == id) open_by_client_.erase(c);
  }
  push_bounded(closed_, closed_cap_, it->second);
  open_.erase(it);
}

void AccountHistory::add_fill(const FillRecord& fill) { push_bounded(fills_, fills_cap_, fill); }
void AccountHistory::add_deposit(const DepositRecord& deposit) { push_bounded(deposits_, deposits_cap_, deposit); }
DepositRecord* AccountHistory::find_deposit(uint64_t id) {
  for (auto it = deposits_.rbegin(); it != deposits_.rend(); ++it)
    if (it->id == id) return &*it;
  return nullptr;
}
void AccountHistory::add_funding(const FundingPaymentRecord& payment) { push_bounded(funding_, funding_cap_, payment); }

const PositionTrack* AccountHistory::find_track(MarketId market) const {
  auto it = tracks_.find(market);
  return it == tracks_.end() ? nullptr : &it->second;
}

const OrderRecord* AccountHistory::find(OrderId id) const {
  if (auto it = open_.find(id); it != open_.end()) return &it->second;
  for (auto it = closed_.rbegin(); it != closed_.rend(); ++it)
    if (it->id == id) return &*it;
  return nullptr;
}

const OrderRecord* AccountHistory::find_by_client(uint32_t client_id) const {
  if (client_id == 0) return nullptr;
  if (auto c = open_by_client_.find(client_id); c != open_by_client_.end()) return &open_.at(c->second);
  for (auto it = closed_.rbegin(); it != closed_.rend(); ++it)
    if (it->client_id == client_id) return &*it;
  return nullptr;
}

}  // namespace glassbook::api
