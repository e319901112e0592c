// The view's deposit addresses, read from the shadow engine: Backpack's depositAddressQuery and the chain watcher's address book.
#include <fmt/format.h>

#include <mutex>
#include <shared_mutex>

#include "api/exchange_view.h"
#include "api/json_writer.h"

namespace glassbook::api {

namespace {
std::optional<AssetId> asset_named(const engine::ExchangeConfig& config, std::string_view symbol) {
  for (AssetId a = 0; a < config.assets.size(); ++a)
    if (config.assets[a].symbol == symbol) return a;
  return std::nullopt;
}
}  // namespace

bool ExchangeView::deposit_address_recorded(const engine::RecordDepositAddress& r) const {
  std::shared_lock lock(mutex_);
  const engine::RecordDepositAddress* old = shadow_->deposit_addresses().find(r.account, r.asset, r.chain);
  return old != nullptr && old->address == r.address;
}

Result<std::string> ExchangeView::deposit_address(AccountId account, std::string_view blockchain, std::string_view symbol) const {
  if (blockchain.empty()) return Status(Error::InvalidArgument, "missing parameter blockchain");
  std::shared_lock lock(mutex_);
  const auto& book = shadow_->deposit_addresses();
  const engine::RecordDepositAddress* found = nullptr;
  if (!symbol.empty()) {
    const auto asset = asset_named(*config_, symbol);
    if (!asset) return Status(Error::UnknownAsset, fmt::format("unknown asset {}", symbol));
    found = book.find(account, *asset, blockchain);
    if (found == nullptr)
      return Status(Error::InvalidArgument, fmt::format("no {} deposit address on {} for this account yet", symbol, blockchain));
  } else {
    // Backpack's request names the blockchain only: one address there, or the asset must be named,
    // since an address here credits one asset (docs/custody.md) and a guess would lose a deposit.
    const auto records = book.of_account(account, blockchain);
    if (records.empty()) return Status(Error::InvalidArgument, fmt::format("no deposit address on {} for this account yet", blockchain));
    if (records.size() > 1) {
      std::string assets;
      for (const auto* r : records) assets += (assets.empty() ? "" : ", ") + config_->assets[r->asset].symbol;
      return Status(Error::InvalidArgument, fmt::format("this account has a deposit address on {} for each of {}: name one with symbol",
                                                        blockchain, assets));
    }
    found = records.front();
  }
  JsonWriter w(96);
  w.begin_object().key("address").string(found->address).end_object();
  return w.take();
}

Result<std::string> ExchangeView::deposit_address_book(std::string_view blockchain) const {
  if (!engine::DepositAddressBook::valid_chain_name(blockchain))
    return Status(Error::InvalidArgument, "blockchain must name a chain (1..32 letters, digits, '_' or '-')");
  std::shared_lock lock(mutex_);
  JsonWriter w(256);
  w.begin_array();
  for (const engine::RecordDepositAddress& r : shadow_->deposit_addresses().all()) {
    if (r.chain != blockchain) continue;
    w.begin_object();
    w.key("account").unsigned_integer(r.account);
    w.key("symbol").string(config_->assets[r.asset].symbol);
    w.key("address").string(r.address);
    w.end_object();
  }
  w.end_array();
  return w.take();
}

}  // namespace glassbook::api
