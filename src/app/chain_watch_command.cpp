// `glassbook chain-watch` and `glassbook deposit-addresses` (chain_watch_command.h): the watcher's
// keys, chain client and exchange client around custody::ChainWatcher, and its log lines.
#include "app/chain_watch_command.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <chrono>
#include <filesystem>

#include "app/custody_exchange.h"
#include "app/demo_accounts.h"
#include "app/genesis_command.h"
#include "app/http_client.h"
#include "app/keys_command.h"
#include "app/role_client.h"
#include "app/stop_signal.h"
#include "custody/chain_watcher.h"
#include "custody/eth_chain.h"
#include "custody/eth_deposit_address.h"
#include "custody/sim_chain_client.h"
#include "custody/withdrawal_settler.h"

namespace glassbook::app {

namespace {

// The demo's deposit root: public, like every demo key.
constexpr const char* kDemoDepositRoot = "demo/custody/deposit-root";

int fail(const std::string& what) {
  fmt::print(stderr, "chain-watch: {}\n", what);
  return 1;
}

// The addresses the exchange recorded on `blockchain` (GET /api/v1/glassbook/depositAddresses), checked
// as strictly as an address book file: through its own parser.
Result<std::vector<custody::DepositAddress>> addresses_from_exchange(const std::string& url, const std::string& blockchain) {
  auto exchange = HttpClient::open(url, std::chrono::seconds(10));
  if (!exchange) return exchange.status();
  auto r = (*exchange)->get("/api/v1/glassbook/depositAddresses?blockchain=" + blockchain);
  if (!r) return Status(r.status().code(), fmt::format("--url {}: {}", url, r.status().message()));
  if (r->status != 200) return Status(Error::InvalidArgument, fmt::format("--addresses-from {}: the exchange answered {} {}", blockchain, r->status, r->body));
  simdjson::dom::parser parser;
  simdjson::dom::array entries;
  if (parser.parse(r->body).get(entries) != simdjson::SUCCESS) return Status(Error::InvalidArgument, "the exchange's address list is not a JSON array");
  std::vector<custody::DepositAddress> book;
  for (simdjson::dom::element e : entries) {
    uint64_t account = 0;
    std::string_view symbol, address;
    if (e["account"].get(account) != simdjson::SUCCESS || e["symbol"].get(symbol) != simdjson::SUCCESS ||
        e["address"].get(address) != simdjson::SUCCESS || account > UINT32_MAX)
      return Status(Error::InvalidArgument, "an entry of the exchange's address list lacks account, symbol or address");
    book.push_back(custody::DepositAddress{std::string(address), static_cast<uint32_t>(account), std::string(symbol)});
  }
  auto checked = custody::parse_address_book(custody::format_address_book(book));
  if (!checked) return Status(checked.code(), fmt::format("the exchange's {} addresses: {}", blockchain, checked.status().message()));
  return checked;
}

std::string describe(const custody::CreditedDeposit& d) {
  return fmt::format("deposit {} of {} {} to account {} (tx {}:{} at height {})", d.deposit_id, d.amount, d.asset, d.account, d.tx_id, d.index, d.height);
}

}  // namespace

int run_chain_watch(const ChainWatchOptions& o) {
  block_stop_signals();
  if (o.demo == !o.key_file.empty()) return fail("give either --demo or --key FILE (with --genesis FILE)");
  if (!o.demo && o.genesis.empty()) return fail("--genesis FILE: the exchange's genesis, for its asset list");
  auto key = o.demo ? Result<crypto::KeyPair>(demo_keys().watcher) : load_role_key(o.key_file, o.passphrase, "chain-watcher");
  if (!key) return fail(key.status().message());
  auto config = o.demo ? Result<engine::ExchangeConfig>(demo_exchange_config(demo_keys())) : read_genesis_file(o.genesis);
  if (!config) return fail(fmt::format("--genesis {}: {}", o.genesis, config.status().message()));
  if (o.demo) fmt::print("chain-watch: DEMO: signing with the public demo chain-watcher key\n");

  if (o.addresses.empty() == o.addresses_from.empty())
    return fail("give either --addresses FILE or --addresses-from BLOCKCHAIN (the addresses the exchange recorded)");
  auto book = o.addresses.empty() ? addresses_from_exchange(o.url, o.addresses_from) : custody::read_address_book(o.addresses);
  if (!book) return fail(book.status().message());
  const std::string book_name = o.addresses.empty() ? fmt::format("the exchange's {} addresses", o.addresses_from) : o.addresses;
  std::map<std::string, AssetId> asset_ids;
  for (size_t i = 0; i < config->assets.size(); ++i) asset_ids[config->assets[i].symbol] = static_cast<AssetId>(i);
  for (const custody::DepositAddress& a : *book)
    if (!asset_ids.contains(a.asset)) return fail(fmt::format("{}: the exchange has no asset {} (address {})", book_name, a.asset, a.address));

  if (o.chain_url.empty() == o.eth_url.empty()) return fail("give either --chain URL (a simulated chain) or --eth URL (an Ethereum node)");
  if (!o.tokens.empty() && o.eth_url.empty()) return fail("--token follows an ERC-20 token of an Ethereum node: give --eth URL");
  custody::EthChainOptions eth_options;
  for (const std::string& t : o.tokens) {
    const size_t eq = t.find('=');
    auto contract = eq == std::string::npos ? Result<custody::eth::AddressBytes>(Error::InvalidArgument, "no '='")
                                            : custody::eth::parse_address(std::string_view(t).substr(eq + 1));
    if (!contract) return fail(fmt::format("--token {}: not ASSET=0xCONTRACT: {}", t, contract.status().message()));
    eth_options.tokens.push_back({t.substr(0, eq), *contract});
  }
  const std::string& chain_url = o.eth_url.empty() ? o.chain_url : o.eth_url;
  auto chain_http = HttpClient::open(chain_url, std::chrono::seconds(10));
  if (!chain_http) return fail(fmt::format("chain {}: {}", chain_url, chain_http.status().message()));
  auto exchange = HttpClient::open(o.url, std::chrono::seconds(10));
  if (!exchange) return fail(fmt::format("--url {}: {}", o.url, exchange.status().message()));
  HttpClient& chain_rpc = **chain_http;
  custody::RpcTransport transport = [&chain_rpc](const std::string& request) -> Result<std::string> {
    auto r = chain_rpc.post("/", request);
    if (!r) return r.status();
    if (r->status != 200 && (r->body.empty() || r->body[0] != '{'))
      return Status(Error::Io, fmt::format("the chain answered {}: {}", r->status, r->body));
    return r->body;
  };
  std::unique_ptr<custody::Chain> chain_ptr;
  std::string chain_id;
  std::string blockchain = o.blockchain;  // the exchange's name of the chain, in its withdrawals
  if (o.eth_url.empty()) {
    auto sim = std::make_unique<custody::SimChainClient>(transport);
    auto info = sim->info();
    if (!info) return fail(fmt::format("--chain {}: {}", o.chain_url, info.status().message()));
    chain_id = info->chain_id;
    if (blockchain.empty()) blockchain = info->name;
    chain_ptr = std::move(sim);
  } else {
    // The deposit ids of an Ethereum chain bind to its EIP-155 chain id.
    auto eth = std::make_unique<custody::EthChain>(transport, std::move(eth_options));
    auto id = eth->chain_id();
    if (!id) return fail(fmt::format("--eth {}: {}", o.eth_url, id.status().message()));
    chain_id = fmt::format("eth/{}", *id);
    if (blockchain.empty()) blockchain = "Ethereum";
    chain_ptr = std::move(eth);
  }
  custody::Chain& chain = *chain_ptr;

  custody::WatchCursor cursor;
  std::error_code ec;
  const bool resumed = std::filesystem::exists(o.cursor, ec);
  if (resumed) {
    auto c = custody::load_cursor(o.cursor);
    if (!c) return fail(c.status().message());
    cursor = std::move(c).value();
  } else {
    cursor.next_height = o.from_height;
  }
  auto created = custody::ChainWatcher::create(chain, *book, custody::ChainWatcherOptions{chain_id, o.confirmations, 1'000}, cursor);
  if (!created) return fail(created.status().message());
  custody::ChainWatcher watcher = std::move(created).value();
  fmt::print("chain-watch: chain {} at {}, {} deposit addresses, {} confirmations, {} at height {}, posting to {}\n", chain_id, chain_url,
             book->size(), o.confirmations, resumed ? "resuming" : "starting", watcher.cursor().next_height, o.url);
  std::fflush(stdout);

  HttpClient& gateway = **exchange;
  const crypto::KeyPair signer = *key;
  custody::SubmitDeposit submit = [&](const custody::CreditedDeposit& d) {
    const engine::Deposit deposit{d.account, asset_ids.at(d.asset), d.amount, d.deposit_id};
    return judge_role_answer(gateway.post("/api/v1/glassbook/command", timed_role_command_json(signer, role_time_now_us(), deposit)));
  };
  // A deposit a reorg removed is reversed; a broadcast withdrawal's outcome is attested (docs/custody.md).
  custody::SubmitReversal reverse = [&](const custody::CreditedDeposit& d) {
    const engine::ReverseDeposit reversal{d.deposit_id, d.account, asset_ids.at(d.asset), d.amount};
    return judge_role_answer(gateway.post("/api/v1/glassbook/command", timed_role_command_json(signer, role_time_now_us(), reversal)));
  };
  custody::SubmitSettlement settle = [&](const custody::OpenWithdrawal& w, bool confirmed) {
    const engine::SettleWithdrawal outcome{w.id, confirmed};
    return judge_role_answer(gateway.post("/api/v1/glassbook/command", timed_role_command_json(signer, role_time_now_us(), outcome)));
  };
  const custody::SettlerOptions settler{blockchain, crypto::base64_encode(signer.public_key()), o.confirmations};
  uint64_t settle_failures = 0;

  int rc = 0;
  uint64_t failures = 0;
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    auto pass = watcher.poll(submit, reverse);
    if (!pass && pass.code() == Error::Corruption) {
      fmt::print(stderr, "chain-watch: REORG: {}\n", pass.status().message());
      rc = 3;
      break;
    }
    if (!pass) {
      if (++failures <= 5 || failures % 100 == 0) fmt::print(stderr, "chain-watch: {}\n", pass.status().message());
    } else {
      if (pass->reorg) {
        const custody::ReorgReport& r = *pass->reorg;
        fmt::print(stderr, "chain-watch: REORG: the blocks above height {} that this watcher had read (up to {}) are no longer the chain\n",
                   r.fork_height, r.old_next_height - 1);
        for (const auto& e : r.credited)
          fmt::print(stderr, "chain-watch: REORG: credited {} is {}\n", describe(e.deposit),
                     e.still_on_chain ? "on the new chain too: nothing to undo" : "not on the chain now: " + e.reversal);
      }
      for (const auto& d : pass->accepted) fmt::print("chain-watch: sent {}: accepted\n", describe(d));
      for (const auto& d : pass->already_credited) fmt::print("chain-watch: sent {}: already credited\n", describe(d));
      for (const auto& [d, why] : pass->refused) fmt::print(stderr, "chain-watch: sent {}: REFUSED: {}\n", describe(d), why);
      for (const auto& [t, why] : pass->ignored) fmt::print(stderr, "chain-watch: not credited: tx {}:{}: {}\n", t.tx_id, t.index, why);
      if (!pass->stalled.empty() && (++failures <= 5 || failures % 100 == 0))
        fmt::print(stderr, "chain-watch: the exchange did not take a deposit, retrying: {}\n", pass->stalled);
      if (auto s = custody::save_cursor(watcher.cursor(), o.cursor); !s) {
        fmt::print(stderr, "chain-watch: {}\n", s.message());
        rc = 1;
        break;
      }
    }
    // The exchange's wallets on this chain: their balances at the height read up to, where the
    // deposits just sent stand, so that the exchange reconciles its ledger with them.
    if (pass && watcher.cursor().next_height > 0) {
      const uint64_t height = watcher.cursor().next_height - 1;
      auto wallets = fetch_wallets(gateway, blockchain);
      custody::SubmitBalance report = [&](const custody::WalletReport& r) {
        const engine::ObserveWalletBalance observed{blockchain, r.address, r.height, r.balance};
        return judge_role_answer(gateway.post("/api/v1/glassbook/command", timed_role_command_json(signer, role_time_now_us(), observed)));
      };
      auto reported = wallets ? custody::report_wallet_balances(chain, *wallets, height, report) : Result<custody::BalancePass>(wallets.status());
      if (!reported) {
        fmt::print(stderr, "chain-watch: wallets: {}\n", reported.status().message());
      } else {
        for (const auto& w : reported->accepted)
          fmt::print("chain-watch: reported wallet {} holding {} {} at height {}\n", w.address, w.balance, w.asset, w.height);
        for (const auto& [w, why] : reported->refused) fmt::print(stderr, "chain-watch: reporting wallet {}: REFUSED: {}\n", w.address, why);
        if (!reported->stalled.empty()) fmt::print(stderr, "chain-watch: the exchange did not take a wallet balance, retrying: {}\n", reported->stalled);
      }
    }
    // Broadcast withdrawals: their transactions' outcome at the same depth as deposits.
    auto open = fetch_open_withdrawals(gateway);
    auto settled = open ? custody::settle_withdrawals(chain, *open, settler, settle) : Result<custody::SettlePass>(open.status());
    if (!settled) {
      if (++settle_failures <= 5 || settle_failures % 100 == 0) fmt::print(stderr, "chain-watch: withdrawals: {}\n", settled.status().message());
    } else {
      for (const auto& w : settled->confirmed)
        fmt::print("chain-watch: settled withdrawal {} ({} {} to {}, tx {}): confirmed\n", w.id, w.amount, w.asset, w.address, w.tx_id);
      for (const auto& [w, why] : settled->failed)
        fmt::print("chain-watch: settled withdrawal {} ({} {} to {}, tx {}): failed: {}\n", w.id, w.amount, w.asset, w.address, w.tx_id, why);
      for (const auto& [w, why] : settled->refused) fmt::print(stderr, "chain-watch: settling withdrawal {}: REFUSED: {}\n", w.id, why);
      if (!settled->stalled.empty() && (++settle_failures <= 5 || settle_failures % 100 == 0))
        fmt::print(stderr, "chain-watch: the exchange did not take a withdrawal's outcome, retrying: {}\n", settled->stalled);
    }
    std::fflush(stdout);
    std::fflush(stderr);
    if (wait_for_next_pass(start, o.interval_seconds, o.seconds)) break;
  }
  fmt::print("chain-watch: stopped at height {}\n", watcher.cursor().next_height);
  return rc;
}

int run_deposit_addresses(const DepositAddressesOptions& o) {
  if (!o.demo) return fmt::print(stderr, "deposit-addresses: only --demo for now: a real exchange's deposit root belongs to its custodians\n"), 1;
  if (o.out.empty() && o.submit_url.empty()) return fmt::print(stderr, "deposit-addresses: give --out FILE, --submit URL or both\n"), 1;
  const engine::ExchangeConfig config = demo_exchange_config(demo_keys());
  std::vector<std::string> assets = o.assets;
  if (assets.empty())
    for (const engine::AssetConfig& a : config.assets) assets.push_back(a.symbol);
  std::vector<custody::DepositAddress> book;
  const crypto::Seed root = crypto::seed_from_label(kDemoDepositRoot);
  for (uint32_t account : o.accounts)
    for (const std::string& asset : assets)
      book.push_back(o.eth ? custody::derive_eth_deposit_address(root, account, asset) : custody::derive_deposit_address(root, account, asset));
  auto checked = custody::parse_address_book(custody::format_address_book(book));  // the same checks as the reader's
  if (!checked) return fmt::print(stderr, "deposit-addresses: {}\n", checked.status().message()), 1;
  if (!o.out.empty()) {
    if (auto s = custody::write_address_book(book, o.out); !s) return fmt::print(stderr, "deposit-addresses: {}\n", s.message()), 1;
    fmt::print("deposit-addresses: {} addresses for {} accounts written to {} (DEMO root: public)\n", book.size(), o.accounts.size(), o.out);
  }
  if (o.submit_url.empty()) return 0;
  // Recorded at the exchange by the chain watchers' role (engine::RecordDepositAddress), one command
  // an address; one already recorded the same is answered as done, so the book may be sent again.
  const std::string blockchain = !o.blockchain.empty() ? o.blockchain : o.eth ? "Ethereum" : "sim";
  auto exchange = HttpClient::open(o.submit_url, std::chrono::seconds(10));
  if (!exchange) return fmt::print(stderr, "deposit-addresses: --submit {}: {}\n", o.submit_url, exchange.status().message()), 1;
  const crypto::KeyPair signer = demo_keys().watcher;
  size_t refused = 0;
  for (const custody::DepositAddress& a : book) {
    AssetId asset = 0;
    while (asset < config.assets.size() && config.assets[asset].symbol != a.asset) ++asset;
    if (asset == config.assets.size()) return fmt::print(stderr, "deposit-addresses: the exchange has no asset {}\n", a.asset), 1;
    const engine::RecordDepositAddress record{a.account, asset, blockchain, a.address};
    auto r = (*exchange)->post("/api/v1/glassbook/command", timed_role_command_json(signer, role_time_now_us(), record));
    if (!r) return fmt::print(stderr, "deposit-addresses: --submit {}: {}\n", o.submit_url, r.status().message()), 1;
    if (r->status != 200) {
      ++refused;
      fmt::print(stderr, "deposit-addresses: {} {} of account {} on {}: REFUSED: {} {}\n", a.asset, a.address, a.account, blockchain, r->status, r->body);
    }
  }
  fmt::print("deposit-addresses: {} of {} addresses recorded on {} at {}\n", book.size() - refused, book.size(), blockchain, o.submit_url);
  return refused == 0 ? 0 : 1;
}

}  // namespace glassbook::app
