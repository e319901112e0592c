// Demo keys and accounts: registration and chain-watcher deposits through the node, waited for.
#include "app/demo_accounts.h"

#include <fmt/format.h>

#include <future>

#include "engine/command.h"
#include "journal/sequencer_submission.h"

namespace glassbook::app {
namespace {

// Submits one signed command and waits until it is durable; its Rejected error, if any.
Status submit_and_wait(journal::Node& node, const crypto::KeyPair& key, engine::CommandBody body) {
  auto sc = engine::sign_command(key, 0, 0, std::move(body));
  auto promise = std::make_shared<std::promise<Status>>();
  auto done = promise->get_future();
  auto ticket = node.submit(journal::submission_of(sc), [promise](SeqNo, Timestamp, std::span<const engine::Event> events) {
    Status s;
    for (const auto& e : events)
      if (e.kind == engine::EventKind::Rejected) s = Status(e.error, fmt::format("refused: {}", error_name(e.error)));
    promise->set_value(s);
  });
  if (!ticket) return ticket.status();
  return done.get();
}

}  // namespace

DemoKeys demo_keys() {
  return DemoKeys{crypto::KeyPair::from_seed(crypto::seed_from_label("demo/log")),
                  crypto::KeyPair::from_seed(crypto::seed_from_label("demo/chain-watcher"))};
}

engine::ExchangeConfig demo_exchange_config(const DemoKeys& keys) {
  engine::ExchangeConfig c = engine::demo_config(keys.watcher.public_key());
  c.log_key = keys.log.public_key();
  c.operators = engine::RolePolicy{{keys.log.public_key()}, 1};
  return c;
}

Result<std::vector<DemoAccount>> ensure_demo_accounts(journal::Node& node, const api::ExchangeView& view, const DemoKeys& keys,
                                                      uint32_t count, const std::string& label) {
  static constexpr int64_t kFunds[] = {10 * 100'000'000LL, 1000 * 1'000'000'000LL, 1'000'000 * 1'000'000LL};  // BTC, SOL, USDC
  std::vector<DemoAccount> out;
  for (uint32_t i = 0; i < count; ++i) {
    DemoAccount a;
    a.seed = crypto::seed_from_label(fmt::format("{}/{}", label, i));
    a.key = crypto::KeyPair::from_seed(a.seed);
    if (auto known = view.account_of(a.key.public_key())) {
      a.account = *known;
      out.push_back(a);
      continue;
    }
    if (auto s = submit_and_wait(node, a.key, engine::RegisterAccount{a.key.public_key()}); !s) return s;
    auto id = view.account_of(a.key.public_key());
    if (!id) return Status(Error::UnknownAccount, "a registered demo account is missing from the view");
    a.account = *id;
    for (AssetId asset = 0; asset < 3; ++asset) {
      const uint64_t deposit_id = (uint64_t{a.account} << 8) | asset;  // one funding per account and asset
      if (auto s = submit_and_wait(node, keys.watcher, engine::Deposit{a.account, asset, kFunds[asset], deposit_id}); !s) return s;
    }
    out.push_back(a);
  }
  return out;
}

}  // namespace glassbook::app
