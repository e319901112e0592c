// ExchangeView, the allow-list at the gateway: what POST and DELETE /api/v1/glassbook/withdrawalAddresses
// refuse before anything is journaled (a chain the exchange does not serve, an address not of that
// chain's form, one already on the list, a full list; one not on it), and the list GET answers, read
// from the shadow engine.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <mutex>
#include <shared_mutex>

#include "api/exchange_view.h"
#include "api/iso_time.h"
#include "api/json_writer.h"

namespace glassbook::api {

namespace {

bool lower_hex_40(std::string_view s) {
  if (s.size() != 40) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

Status ExchangeView::check_withdrawal_address(AccountId account, std::string_view address, std::string_view blockchain) const {
  if (!engine::DepositAddressBook::valid_address(address))
    return Status(Error::InvalidArgument, fmt::format("address {}: 1 to 128 letters and digits (hex, base58 and bech32 addresses are)", address));
  std::shared_lock lock(mutex_);
  // The chains the exchange serves are those its chain watchers record deposit addresses on.
  const auto& book = shadow_->deposit_addresses();
  const std::vector<std::string> chains = book.chains();
  if (std::find(chains.begin(), chains.end(), blockchain) == chains.end()) {
    if (chains.empty()) return Status(Error::InvalidArgument, fmt::format("unknown blockchain {}: this exchange serves none yet", blockchain));
    return Status(Error::InvalidArgument, fmt::format("unknown blockchain {}: this exchange serves {}", blockchain, fmt::join(chains, ", ")));
  }
  // A chain whose addresses this exchange writes as 40 lower-case hex digits (the simulated chain,
  // Ethereum without its 0x: docs/custody.md) takes withdrawal addresses of that form only, so that
  // the custodian, which pays only such an address, never holds a withdrawal it cannot send.
  for (const engine::RecordDepositAddress& r : book.all()) {
    if (r.chain != blockchain) continue;
    if (lower_hex_40(r.address) && !lower_hex_40(address))
      return Status(Error::InvalidArgument, fmt::format("address {} is not an address of {}: 40 lower-case hex digits without 0x, as this exchange writes that chain's addresses",
                                                        address, blockchain));
    break;  // one chain's addresses share one form: its first record tells it
  }
  const auto& withdrawals = shadow_->withdrawals();
  if (const auto usable = withdrawals.usable_from(account, std::string(address)))
    return Status(Error::InvalidArgument, fmt::format("address {} is already on this account's allow-list (usable from {})", address, iso_millis(*usable)));
  if (withdrawals.addresses_of(account) >= engine::Withdrawals::kMaxAddressesPerAccount)
    return Status(Error::InvalidArgument,
                  fmt::format("this account's allow-list is full: it holds {} addresses, the limit", engine::Withdrawals::kMaxAddressesPerAccount));
  return {};
}

Status ExchangeView::check_withdrawal_address_removal(AccountId account, std::string_view address) const {
  std::shared_lock lock(mutex_);
  if (!shadow_->withdrawals().usable_from(account, std::string(address)))
    return Status(Error::InvalidArgument, fmt::format("address {} is not on this account's allow-list", address));
  return {};
}

std::string ExchangeView::withdrawal_addresses(AccountId account, Timestamp now) const {
  std::shared_lock lock(mutex_);
  JsonWriter w(256);
  w.begin_array();
  for (const auto& [address, usable_from] : shadow_->withdrawals().addresses_of_account(account)) {
    w.begin_object();
    w.key("address").string(address);
    w.key("usableFrom").string(iso_millis(usable_from));
    w.key("status").string(usable_from > now ? "coolingOff" : "usable");
    w.end_object();
  }
  w.end_array();
  return w.take();
}

}  // namespace glassbook::api
