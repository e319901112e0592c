// Refusal of exemption keys anywhere in a genesis document, before any other check.
#include "engine/genesis_exemption.h"

#include <array>
#include <string>

#include "engine/toml_fields.h"

namespace glassbook::engine {

namespace {

// Whole names, and fragments no legitimate key contains.
constexpr std::array<std::string_view, 10> kNames = {
    "exempt", "exempt_from_liquidation", "allow_negative", "allow_negative_balance", "credit_line",
    "negative_balance_limit", "margin_override", "liquidation_exempt", "skip_risk", "vip_margin"};
constexpr std::array<std::string_view, 16> kFragments = {
    "exempt", "override", "bypass", "allow_negative", "negative_balance", "credit", "skip_", "no_liquidation",
    "no_margin", "unlimited", "vip", "whitelist", "allowlist", "immune", "privileged", "special_margin"};

Status walk(const toml::node& node, const std::string& path);

Status walk_table(const toml::table& table, const std::string& path) {
  for (auto&& [k, v] : table) {
    const std::string at = toml_fields::join(path, k.str());
    if (names_an_exemption(k.str()))
      return {Error::InvalidConfig, "genesis refused: `" + at +
                                        "` would exempt an account from risk rules; no account can be exempted (docs/risk.md)"};
    if (auto s = walk(v, at); !s) return s;
  }
  return {};
}

Status walk(const toml::node& node, const std::string& path) {
  if (const toml::table* t = node.as_table()) return walk_table(*t, path);
  if (const toml::array* a = node.as_array()) {
    for (size_t i = 0; i < a->size(); ++i)
      if (auto s = walk(*a->get(i), toml_fields::index(path, i)); !s) return s;
  }
  return {};
}

}  // namespace

bool names_an_exemption(std::string_view key) {
  std::string k;
  for (char c : key) k += (c == '-' || c == ' ' || c == '.') ? '_' : static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  for (std::string_view n : kNames)
    if (k == n) return true;
  for (std::string_view f : kFragments)
    if (k.find(f) != std::string::npos) return true;
  return false;
}

Status refuse_exemptions(const toml::table& root) { return walk_table(root, ""); }

}  // namespace glassbook::engine
