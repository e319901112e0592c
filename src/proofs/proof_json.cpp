// Inclusion proofs and roots to and from JSON (proof_json.h).
#include "proofs/proof_json.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <limits>

namespace glassbook::proofs {

namespace dom = simdjson::dom;

namespace {

constexpr U128 kMaxU64 = std::numeric_limits<uint64_t>::max();
constexpr U128 kMaxU128 = ~U128{0};

std::string hex(const Digest& d) { return crypto::to_hex(d); }

void append_strings(std::string& out, std::span<const U128> values) {
  out += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    out += u128_to_string(values[i]);
    out += '"';
  }
  out += ']';
}

// Reads members of one object, remembering the first fault.
class Reader {
 public:
  explicit Reader(dom::object o) : o_(o) {}
  ProofStatus status;

  bool element(std::string_view key, dom::element& e) {
    if (!status.ok()) return false;
    if (o_[key].get(e) != simdjson::SUCCESS) return fail(ProofError::Malformed, fmt::format("no member \"{}\"", key));
    return true;
  }
  bool text(std::string_view key, std::string_view& out) {
    dom::element e;
    if (!element(key, e)) return false;
    return string_of(e, key, out);
  }
  bool number(std::string_view key, U128 max, U128& out) {
    std::string_view s;
    if (!text(key, s)) return false;
    return check(parse_canonical(s, max, out, key));
  }
  bool digest(std::string_view key, Digest& out) {
    std::string_view s;
    if (!text(key, s)) return false;
    if (s.size() != 64) return fail(ProofError::Malformed, fmt::format("\"{}\" is not 64 hex digits", key));
    for (size_t i = 0; i < 32; ++i) {
      int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
      if (hi < 0 || lo < 0) return fail(ProofError::Malformed, fmt::format("\"{}\" is not 64 lowercase hex digits", key));
      out[i] = static_cast<uint8_t>(hi * 16 + lo);
    }
    return true;
  }
  // An array of canonical numbers, each at most `max`.
  bool numbers(dom::element e, std::string_view key, U128 max, std::vector<U128>& out) {
    if (!status.ok()) return false;
    dom::array a;
    if (e.get(a) != simdjson::SUCCESS) return fail(ProofError::Malformed, fmt::format("\"{}\" is not an array", key));
    if (a.size() > kMaxAssets) return fail(ProofError::Malformed, fmt::format("\"{}\" has more than {} entries", key, kMaxAssets));
    for (dom::element v : a) {
      std::string_view s;
      U128 x = 0;
      if (!string_of(v, key, s) || !check(parse_canonical(s, max, x, key))) return false;
      out.push_back(x);
    }
    return true;
  }
  bool numbers(std::string_view key, U128 max, std::vector<U128>& out) {
    dom::element e;
    return element(key, e) && numbers(e, key, max, out);
  }
  bool fail(ProofError code, std::string message) {
    if (status.ok()) status = proof_fail(code, std::move(message));
    return false;
  }
  bool check(ProofStatus s) {
    if (!s.ok() && status.ok()) status = std::move(s);
    return status.ok();
  }
  bool string_of(dom::element e, std::string_view key, std::string_view& out) {
    if (e.type() == dom::element_type::STRING) return e.get(out) == simdjson::SUCCESS;
    const bool numeric = e.type() == dom::element_type::INT64 || e.type() == dom::element_type::UINT64 ||
                         e.type() == dom::element_type::DOUBLE;
    if (numeric) return fail(ProofError::NotAString, fmt::format("\"{}\" is a JSON number: integers are strings", key));
    return fail(ProofError::Malformed, fmt::format("\"{}\" is not a string", key));
  }

 private:
  static int nibble(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  }
  dom::object o_;
};

ProofStatus open_object(dom::parser& parser, std::string_view text, dom::object& out) {
  dom::element doc;
  if (parser.parse(text.data(), text.size()).get(doc) != simdjson::SUCCESS) return proof_fail(ProofError::Malformed, "not JSON");
  if (doc.get(out) != simdjson::SUCCESS) return proof_fail(ProofError::Malformed, "not a JSON object");
  return {};
}

bool read_version(Reader& r, uint32_t& version) {
  U128 v = 0;
  if (!r.number("version", 0xFFFF, v)) return false;
  if (v != kFormatVersion) return r.fail(ProofError::UnsupportedVersion, fmt::format("format {} (this verifier knows 1)", u128_to_string(v)));
  version = static_cast<uint32_t>(v);
  return true;
}

}  // namespace

std::string u128_to_string(U128 v) {
  if (v == 0) return "0";
  char buf[40];
  size_t i = sizeof buf;
  while (v > 0) {
    buf[--i] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  }
  return std::string(buf + i, sizeof buf - i);
}

ProofStatus parse_canonical(std::string_view text, U128 max, U128& out, std::string_view what) {
  const bool negative = !text.empty() && text[0] == '-';
  std::string_view digits = negative ? text.substr(1) : text;
  const bool all_digits = !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
  if (!all_digits || (digits.size() > 1 && digits[0] == '0'))
    return proof_fail(ProofError::NonCanonicalNumber, fmt::format("\"{}\": \"{}\" is not a canonical decimal", what, text));
  if (negative) return proof_fail(ProofError::NegativeValue, fmt::format("\"{}\": {} is negative", what, text));
  U128 v = 0;
  for (char c : digits) {
    const unsigned d = static_cast<unsigned>(c - '0');
    if (v > (max - d) / 10) return proof_fail(ProofError::ValueOutOfRange, fmt::format("\"{}\": {} is above {}", what, text, u128_to_string(max)));
    v = v * 10 + d;
  }
  out = v;
  return {};
}

std::string proof_to_json(const InclusionProof& p) {
  std::string out = fmt::format(
      R"({{"version":"{}","snapshot_id":"{}","root":"{}","depth":"{}","account":"{}","user_key":"{}","uc":"{}","index":"{}","values":)",
      p.version, hex(p.snapshot_id), hex(p.root), p.depth, p.account, hex(p.user_key), hex(p.uc), p.index);
  std::vector<U128> values(p.values.begin(), p.values.end());
  append_strings(out, values);
  out += fmt::format(R"(,"leaf_hash":"{}","path":[)", hex(p.leaf_hash));
  for (size_t i = 0; i < p.path.size(); ++i) {
    if (i > 0) out += ',';
    out += fmt::format(R"({{"hash":"{}","sums":)", hex(p.path[i].hash));
    append_strings(out, p.path[i].sums);
    out += '}';
  }
  out += "]}\n";
  return out;
}

std::string root_to_json(const LiabilitiesRoot& r) {
  std::string out = fmt::format(R"({{"version":"{}","hash":"{}","assets":[)", r.version, hex(r.hash));
  for (size_t i = 0; i < r.assets.size(); ++i) out += fmt::format(R"({}"{}")", i > 0 ? "," : "", r.assets[i]);
  out += R"(],"sums":)";
  append_strings(out, r.sums);
  out += fmt::format(R"(,"depth":"{}","snapshot_id":"{}","checkpoint_seq":"{}","time":"{}","public_key":"{}","signature":"{}"}})",
                     r.depth, hex(r.snapshot_id), r.checkpoint_seq, r.time, crypto::base64_encode(r.public_key),
                     crypto::base64_encode(r.signature));
  out += '\n';
  return out;
}

ProofStatus proof_from_json(std::string_view text, InclusionProof& p) {
  dom::parser parser;
  dom::object o;
  if (auto s = open_object(parser, text, o); !s.ok()) return s;
  Reader r(o);
  U128 depth = 0, account = 0, index = 0;
  std::vector<U128> values;
  dom::element path;
  if (read_version(r, p.version) && r.digest("snapshot_id", p.snapshot_id) && r.digest("root", p.root) &&
      r.number("depth", kMaxDepth, depth) && r.number("account", std::numeric_limits<AccountId>::max(), account) &&
      r.digest("user_key", p.user_key) && r.digest("uc", p.uc) && r.number("index", kMaxU64, index) &&
      r.numbers("values", kMaxU64, values) && r.digest("leaf_hash", p.leaf_hash) && r.element("path", path)) {
    p.depth = static_cast<unsigned>(depth);
    p.account = static_cast<AccountId>(account);
    p.index = static_cast<uint64_t>(index);
    p.values.assign(values.begin(), values.end());
    dom::array steps;
    if (path.get(steps) != simdjson::SUCCESS) return proof_fail(ProofError::Malformed, "\"path\" is not an array");
    if (steps.size() > kMaxDepth) return proof_fail(ProofError::PathLength, fmt::format("a path of {} steps: at most {}", steps.size(), kMaxDepth));
    for (dom::element e : steps) {
      dom::object so;
      if (e.get(so) != simdjson::SUCCESS) return proof_fail(ProofError::Malformed, "a path step is not an object");
      Reader sr(so);
      PathStep step;
      dom::element sums;
      if (!sr.digest("hash", step.hash) || !sr.element("sums", sums) || !sr.numbers(sums, "sums", kMaxU128, step.sums))
        return sr.status;
      p.path.push_back(std::move(step));
    }
  }
  return r.status;
}

ProofStatus root_from_json(std::string_view text, LiabilitiesRoot& out) {
  dom::parser parser;
  dom::object o;
  if (auto s = open_object(parser, text, o); !s.ok()) return s;
  Reader r(o);
  U128 depth = 0, seq = 0, time = 0;
  dom::element assets;
  std::string_view key, sig;
  if (read_version(r, out.version) && r.digest("hash", out.hash) && r.element("assets", assets) &&
      r.numbers("sums", kMaxU128, out.sums) && r.number("depth", kMaxDepth, depth) && r.digest("snapshot_id", out.snapshot_id) &&
      r.number("checkpoint_seq", kMaxU64, seq) && r.number("time", std::numeric_limits<int64_t>::max(), time) &&
      r.text("public_key", key) && r.text("signature", sig)) {
    dom::array a;
    if (assets.get(a) != simdjson::SUCCESS) return proof_fail(ProofError::Malformed, "\"assets\" is not an array");
    for (dom::element e : a) {
      std::string_view s;
      if (e.get(s) != simdjson::SUCCESS || s.empty() || s.size() > 255) return proof_fail(ProofError::Malformed, "an asset is not a symbol");
      out.assets.emplace_back(s);
    }
    out.depth = static_cast<unsigned>(depth);
    out.checkpoint_seq = static_cast<SeqNo>(seq);
    out.time = static_cast<Timestamp>(time);
    auto pk = crypto::public_key_from_base64(key);
    auto sg = crypto::signature_from_base64(sig);
    if (!pk || !sg) return proof_fail(ProofError::Malformed, "\"public_key\" or \"signature\" is not base64 of the right size");
    out.public_key = *pk;
    out.signature = *sg;
  }
  return r.status;
}

}  // namespace glassbook::proofs
