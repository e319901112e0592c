// The chain watcher's cursor file (watch_cursor.h).
#include "custody/watch_cursor.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "custody/sim_keys.h"

namespace glassbook::custody {

namespace {

constexpr std::string_view kHeader = "glassbook-chain-watch-cursor v1";

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  while (!line.empty()) {
    const size_t sp = line.find(' ');
    out.push_back(line.substr(0, sp));
    if (sp == std::string_view::npos) break;
    line = line.substr(sp + 1);
  }
  return out;
}

template <class T>
bool number(std::string_view s, T& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

bool is_hash(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::string format_cursor(const WatchCursor& c) {
  std::string out = fmt::format("{}\nchain {}\nnext {}\n", kHeader, c.chain_id, c.next_height);
  for (const BlockHeader& b : c.recent) out += fmt::format("block {} {}\n", b.height, b.hash);
  for (const CreditedDeposit& d : c.credited)
    out += fmt::format("credited {} {} {} {} {} {} {}\n", d.height, d.deposit_id, d.account, d.asset, d.amount, d.tx_id, d.index);
  return out;
}

Result<WatchCursor> parse_cursor(std::string_view text) {
  WatchCursor c;
  size_t line_no = 0;
  bool have_chain = false, have_next = false;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    auto bad = [&](std::string_view why) { return Status(Error::Corruption, fmt::format("cursor line {}: {}", line_no, why)); };
    if (line_no == 1) {
      if (line != kHeader) return bad(fmt::format("expected the header \"{}\"", kHeader));
      continue;
    }
    const auto w = words(line);
    if (w.empty() || w[0].empty()) return bad("empty line");
    if (w[0] == "chain" && w.size() == 2 && !have_chain) {
      c.chain_id = std::string(w[1]);
      have_chain = !c.chain_id.empty();
    } else if (w[0] == "next" && w.size() == 2 && !have_next) {
      if (!number(w[1], c.next_height)) return bad("next is not a height");
      have_next = true;
    } else if (w[0] == "block" && w.size() == 3) {
      BlockHeader b;
      if (!number(w[1], b.height) || !is_hash(w[2])) return bad("expected block <height> <hash>");
      if (!c.recent.empty() && b.height <= c.recent.back().height) return bad("blocks out of order");
      if (c.recent.size() == WatchCursor::kRecentBlocks) return bad("too many blocks");
      b.hash = std::string(w[2]);
      c.recent.push_back(std::move(b));
    } else if (w[0] == "credited" && w.size() == 8) {
      CreditedDeposit d;
      d.asset = std::string(w[4]);
      d.tx_id = std::string(w[6]);
      if (!number(w[1], d.height) || !number(w[2], d.deposit_id) || !number(w[3], d.account) || !is_asset_symbol(d.asset) ||
          !number(w[5], d.amount) || d.amount <= 0 || d.tx_id.empty() || !number(w[7], d.index))
        return bad("expected credited <height> <deposit id> <account> <asset> <amount> <tx id> <index>");
      if (c.credited.size() == WatchCursor::kRecentCredits) return bad("too many credited deposits");
      c.credited.push_back(std::move(d));
    } else {
      return bad(fmt::format("unexpected \"{}\"", w[0]));
    }
  }
  if (!have_chain || !have_next) return Status(Error::Corruption, "cursor: chain and next are required");
  if (!c.recent.empty() && c.recent.back().height >= c.next_height) return Status(Error::Corruption, "cursor: a block at or above next");
  return c;
}

Status save_cursor(const WatchCursor& cursor, const std::string& path) {
  const std::string text = format_cursor(cursor);
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status(Error::Io, fmt::format("cannot create {}: {}", tmp, std::strerror(errno)));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return Status(Error::Io, fmt::format("cannot write {}", tmp));
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Status(Error::Io, fmt::format("cannot rename onto {}: {}", path, std::strerror(errno)));
  return {};
}

Result<WatchCursor> load_cursor(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status(Error::Io, fmt::format("cannot open {}", path));
  std::ostringstream text;
  text << in.rdbuf();
  auto c = parse_cursor(text.str());
  if (!c) return Status(c.code(), fmt::format("{}: {}", path, c.status().message()));
  return c;
}

}  // namespace glassbook::custody
