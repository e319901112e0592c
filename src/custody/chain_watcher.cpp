// The chain watcher's passes (chain_watcher.h): reorg check, confirmed blocks, deposits in chain order.
#include "custody/chain_watcher.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace glassbook::custody {

Result<ChainWatcher> ChainWatcher::create(Chain& chain, const std::vector<DepositAddress>& book, ChainWatcherOptions options,
                                          WatchCursor cursor) {
  if (options.confirmations == 0) return Status(Error::InvalidArgument, "confirmations must be at least 1");
  if (options.max_blocks_per_pass == 0 || options.addresses_per_query == 0)
    return Status(Error::InvalidArgument, "max_blocks_per_pass and addresses_per_query must be at least 1");
  if (options.chain_id.empty()) return Status(Error::InvalidArgument, "the chain id is empty");
  if (cursor.chain_id.empty()) cursor.chain_id = options.chain_id;
  if (cursor.chain_id != options.chain_id)
    return Status(Error::InvalidArgument, fmt::format("the cursor is of chain {}, not {}: another chain needs its own cursor file", cursor.chain_id,
                                                      options.chain_id));
  std::map<Address, DepositAddress> by_address;
  for (const DepositAddress& a : book)
    if (!by_address.emplace(a.address, a).second) return Status(Error::InvalidArgument, fmt::format("address {} is given twice", a.address));
  ChainWatcher w(chain, std::move(by_address), std::move(options), std::move(cursor));
  for (const auto& [address, entry] : w.book_) w.addresses_.push_back(address);
  return w;
}

Result<std::optional<ReorgReport>> ChainWatcher::check_reorg(const BlockHeader& tip) {
  auto& recent = cursor_.recent;
  if (recent.empty()) return std::optional<ReorgReport>();
  size_t matched = recent.size();  // index of the newest remembered block still on the chain
  for (size_t i = recent.size(); i-- > 0;) {
    if (recent[i].height > tip.height) continue;
    auto b = chain_->block(recent[i].height);
    if (!b) return b.status();
    if (b->hash == recent[i].hash) {
      matched = i;
      break;
    }
  }
  if (matched + 1 == recent.size()) return std::optional<ReorgReport>();
  if (matched == recent.size())
    return Status(Error::Corruption, fmt::format("a reorg deeper than the {} blocks this watcher remembers (none from height {} to {} is on the "
                                                 "chain any more): an operator must look before anything more is credited",
                                                 recent.size(), recent.front().height, recent.back().height));
  ReorgReport report;
  report.fork_height = recent[matched].height;
  report.old_next_height = cursor_.next_height;
  // The deposits sent from the replaced blocks: is each transfer on the new chain too?
  std::vector<CreditedDeposit> above, kept;
  for (CreditedDeposit& d : cursor_.credited) (d.height > report.fork_height ? above : kept).push_back(std::move(d));
  std::set<std::pair<TxId, uint32_t>> on_chain;
  if (!above.empty() && tip.height > report.fork_height) {
    std::vector<Address> addresses;
    for (const auto& [address, entry] : book_)
      for (const CreditedDeposit& d : above)
        if (entry.account == d.account && entry.asset == d.asset) addresses.push_back(address);
    auto seen = chain_->transfers_to(addresses, report.fork_height + 1, tip.height);
    if (!seen) return seen.status();
    for (const ObservedTransfer& t : *seen) on_chain.insert({t.tx_id, t.index});
  }
  for (CreditedDeposit& d : above) {
    const bool still = on_chain.contains({d.tx_id, d.index});
    report.credited.push_back(ReorgReport::Entry{std::move(d), still, {}});
  }
  cursor_.credited = std::move(kept);
  recent.resize(matched + 1);
  cursor_.next_height = report.fork_height + 1;
  return std::optional<ReorgReport>(std::move(report));
}

Result<WatchPass> ChainWatcher::poll(const SubmitDeposit& submit, const SubmitReversal& reverse) {
  WatchPass pass;
  auto tip = chain_->tip();
  if (!tip) return tip.status();
  const WatchCursor before = cursor_;
  auto reorg = check_reorg(*tip);
  if (!reorg) return reorg.status();
  pass.reorg = std::move(reorg).value();
  if (pass.reorg && reverse) {
    for (ReorgReport::Entry& e : pass.reorg->credited) {
      if (e.still_on_chain) continue;
      SubmitResult r = reverse(e.deposit);
      switch (r.outcome) {
        case SubmitOutcome::Accepted: e.reversal = "reversal sent"; break;
        case SubmitOutcome::AlreadyCredited: e.reversal = "already reversed (or attested by this watcher)"; break;
        case SubmitOutcome::Refused: e.reversal = "reversal REFUSED: " + r.detail; break;
        case SubmitOutcome::Unreachable:
          e.reversal = "reversal not delivered: " + r.detail;
          cursor_ = before;  // the next pass finds this reorg again and resends
          pass.stalled = r.detail;
          return pass;
      }
    }
  }
  if (tip->height + 1 < options_.confirmations) return pass;
  const uint64_t last_confirmed = tip->height + 1 - options_.confirmations;
  const uint64_t first = cursor_.next_height;
  if (first > last_confirmed) return pass;
  const uint64_t last = std::min(last_confirmed, first + options_.max_blocks_per_pass - 1);

  std::vector<ObservedTransfer> transfers;
  for (size_t at = 0; at < addresses_.size(); at += options_.addresses_per_query) {
    const auto end = addresses_.begin() + static_cast<ptrdiff_t>(std::min(addresses_.size(), at + options_.addresses_per_query));
    auto seen = chain_->transfers_to(std::vector<Address>(addresses_.begin() + static_cast<ptrdiff_t>(at), end), first, last);
    if (!seen) {
      cursor_ = before;
      return seen.status();
    }
    transfers.insert(transfers.end(), seen->begin(), seen->end());
  }
  // By height (each call answers in chain order; within a block, the calls' order: every watcher
  // with the same book sends the same sequence).
  std::stable_sort(transfers.begin(), transfers.end(), [](const ObservedTransfer& a, const ObservedTransfer& b) { return a.height < b.height; });
  // The headers of the blocks that hold deposits and of the last ones read (the cursor remembers
  // those): every transfer's block must be the chain's block at its height, and the first block must
  // follow the last one remembered, or the chain moved during the pass.
  std::map<uint64_t, BlockHeader> headers;
  std::set<uint64_t> wanted;
  for (const ObservedTransfer& t : transfers) wanted.insert(t.height);
  for (uint64_t h = last - std::min<uint64_t>(last - first, WatchCursor::kRecentBlocks - 1); h <= last; ++h) wanted.insert(h);
  wanted.insert(first);
  for (uint64_t h : wanted) {
    auto b = chain_->block(h);
    if (!b) {
      cursor_ = before;
      return b.status();
    }
    headers[h] = std::move(b).value();
  }
  const bool follows = cursor_.recent.empty() || cursor_.recent.back().height + 1 != first ||
                       headers[first].parent_hash == cursor_.recent.back().hash;
  bool moved = !follows;
  for (const ObservedTransfer& t : transfers) {
    moved = moved || headers[t.height].hash != t.block_hash;
    if (!book_.contains(t.to) || t.height < first || t.height > last || t.amount <= 0) {
      cursor_ = before;
      return Status(Error::Io, fmt::format("the chain answered a transfer that was not asked for (tx {} to {} at height {})", t.tx_id, t.to, t.height));
    }
  }
  if (moved) {
    cursor_ = before;
    return Status(Error::Io, fmt::format("the chain changed while blocks {} to {} were read (a reorg): the next pass reads them again", first, last));
  }

  auto remember = [&](const CreditedDeposit& d) {
    const bool known = std::any_of(cursor_.credited.begin(), cursor_.credited.end(), [&](const CreditedDeposit& c) { return c.deposit_id == d.deposit_id; });
    if (!known) cursor_.credited.push_back(d);
    if (cursor_.credited.size() > WatchCursor::kRecentCredits) cursor_.credited.erase(cursor_.credited.begin());
  };
  size_t next_transfer = 0;
  for (uint64_t h = first; h <= last; ++h) {
    for (; next_transfer < transfers.size() && transfers[next_transfer].height == h; ++next_transfer) {
      const ObservedTransfer& t = transfers[next_transfer];
      const DepositAddress& owner = book_.at(t.to);
      if (owner.asset != t.asset) {
        pass.ignored.push_back({t, fmt::format("{} is account {}'s {} address; it received {}", t.to, owner.account, owner.asset, t.asset)});
        continue;
      }
      const CreditedDeposit d{h, deposit_id(options_.chain_id, t.tx_id, t.index), owner.account, owner.asset, t.amount, t.tx_id, t.index};
      SubmitResult r = submit(d);
      switch (r.outcome) {
        case SubmitOutcome::Accepted: pass.accepted.push_back(d), remember(d); break;
        case SubmitOutcome::AlreadyCredited: pass.already_credited.push_back(d), remember(d); break;
        case SubmitOutcome::Refused: pass.refused.push_back({d, r.detail}); break;
        case SubmitOutcome::Unreachable: pass.stalled = r.detail; break;
      }
      if (!pass.stalled.empty()) return pass;  // block h is not done: the next pass sends its deposits again
    }
    cursor_.next_height = h + 1;
    ++pass.blocks_read;
    if (auto it = headers.find(h); it != headers.end() && h + WatchCursor::kRecentBlocks > last) {
      cursor_.recent.push_back(BlockHeader{h, it->second.hash, ""});  // the file keeps height and hash
      if (cursor_.recent.size() > WatchCursor::kRecentBlocks) cursor_.recent.erase(cursor_.recent.begin());
    }
  }
  return pass;
}

}  // namespace glassbook::custody
