// The witnesses genesis names: what makes a name, a URL and a quorum valid.
#include <fmt/format.h>

#include <algorithm>

#include "engine/config.h"

namespace glassbook::engine {

namespace {

// Printable ASCII without space or '+': within the signed-note key name rules, and safe in a URL and a log line.
bool valid_name(std::string_view s) {
  return !s.empty() && s.size() <= kMaxWitnessTextBytes &&
         std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7F && c != '+'; });
}

// "http://host:port" (no path, no TLS: what the exchange's HTTP client speaks), printable ASCII.
bool valid_url(std::string_view s) {
  if (!s.starts_with("http://") || s.size() > kMaxWitnessTextBytes) return false;
  const std::string_view rest = s.substr(7);
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size()) return false;
  const std::string_view port = rest.substr(colon + 1);
  if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  return std::all_of(rest.begin(), rest.end(), [](char c) { return c > 0x20 && c < 0x7F && c != '/' && c != '?' && c != '#'; });
}

}  // namespace

Status validate_witnesses(const ExchangeConfig& c) {
  auto bad = [](const std::string& why) { return Status(Error::InvalidConfig, "witnesses: " + why); };
  const WitnessPolicy& p = c.witnesses;
  if (p.witnesses.size() > kMaxWitnesses) return bad(fmt::format("more than {} witnesses", kMaxWitnesses));
  if (p.witnesses.empty()) return p.quorum == 0 ? Status() : bad("a quorum without witnesses");
  if (p.quorum < 1 || p.quorum > p.witnesses.size())
    return bad(fmt::format("the quorum {} must be within 1..{} (the witnesses named)", p.quorum, p.witnesses.size()));
  for (size_t i = 0; i < p.witnesses.size(); ++i) {
    const WitnessConfig& w = p.witnesses[i];
    if (!valid_name(w.name))
      return bad(fmt::format("witness {}: the name must be 1..{} printable ASCII characters without space or '+'", i, kMaxWitnessTextBytes));
    if (!valid_url(w.url)) return bad(fmt::format("witness {} ({}): the url must be http://host:port", i, w.name));
    for (size_t j = 0; j < i; ++j) {
      if (p.witnesses[j].key == w.key) return bad(fmt::format("witnesses {} and {} have the same key", j, i));
      if (p.witnesses[j].name == w.name) return bad(fmt::format("witnesses {} and {} have the same name {}", j, i, w.name));
    }
  }
  return {};
}

}  // namespace glassbook::engine
