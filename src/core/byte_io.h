// Little-endian byte writer and bounds-checked reader: the one encoding of signed commands, the
// configuration and snapshots. Writer and reader share method names so one field list serves both.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace glassbook {

// Appends fields to a string, little-endian. Strings and sequences are prefixed by a u32 length.
class ByteWriter {
 public:
  static constexpr bool kReading = false;
  explicit ByteWriter(std::string& out) : out_(out) {}

  void u8(uint8_t v) { le(v, 1); }
  void u16(uint16_t v) { le(v, 2); }
  void u32(uint32_t v) { le(v, 4); }
  void u64(uint64_t v) { le(v, 8); }
  void i32(int32_t v) { le(static_cast<uint32_t>(v), 4); }
  void i64(int64_t v) { le(static_cast<uint64_t>(v), 8); }
  void boolean(bool v) { u8(v ? 1 : 0); }
  template <size_t N>
  void key(const std::array<uint8_t, N>& k) {
    out_.append(reinterpret_cast<const char*>(k.data()), N);
  }
  template <class E>
  void enum8(const char*, E e, uint8_t) {
    u8(static_cast<uint8_t>(e));
  }
  void str(const char*, const std::string& s, size_t) {
    u32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  // A sequence: its length, then each element through `each(writer, element)`.
  template <class T, class F>
  void seq(const char*, const std::vector<T>& v, size_t, F&& each) {
    u32(static_cast<uint32_t>(v.size()));
    for (const T& x : v) each(*this, x);
  }

 private:
  void le(uint64_t v, int n) {
    char b[8];
    for (int i = 0; i < n; ++i) b[i] = static_cast<char>(v >> (8 * i));
    out_.append(b, static_cast<size_t>(n));
  }
  std::string& out_;
};

// Reads fields written by ByteWriter from a fixed buffer. Every read is bounds-checked; once a read
// fails the reader stays failed and reads return zeros, so a parser reads all its fields and checks
// status() once. The first failure (truncation, an enum or a length out of range) is kept.
class ByteReader {
 public:
  static constexpr bool kReading = true;
  explicit ByteReader(std::string_view in, std::string_view what = "data") : in_(in), what_(what) {}

  void u8(uint8_t& v) { v = static_cast<uint8_t>(le(1)); }
  void u16(uint16_t& v) { v = static_cast<uint16_t>(le(2)); }
  void u32(uint32_t& v) { v = static_cast<uint32_t>(le(4)); }
  void u64(uint64_t& v) { v = le(8); }
  void i32(int32_t& v) { v = static_cast<int32_t>(static_cast<uint32_t>(le(4))); }
  void i64(int64_t& v) { v = static_cast<int64_t>(le(8)); }
  void boolean(bool& v) {
    uint8_t b = 0;
    enum8("boolean", b, 1);
    v = b != 0;
  }
  template <size_t N>
  void key(std::array<uint8_t, N>& k) {
    const char* p = take(N);
    for (size_t i = 0; i < N; ++i) k[i] = p ? static_cast<uint8_t>(p[i]) : 0;
  }
  template <class E>
  void enum8(const char* name, E& e, uint8_t max) {
    uint8_t v = static_cast<uint8_t>(le(1));
    if (v > max) fail(std::string(name) + " " + std::to_string(v) + " out of range 0.." + std::to_string(max));
    e = static_cast<E>(ok() ? v : 0);
  }
  void str(const char* name, std::string& s, size_t max) {
    uint32_t n = 0;
    u32(n);
    if (n > max) fail(std::string(name) + " longer than " + std::to_string(max) + " bytes");
    const char* p = ok() ? take(n) : nullptr;
    s = p ? std::string(p, n) : std::string();
  }
  template <class T, class F>
  void seq(const char* name, std::vector<T>& v, size_t max, F&& each) {
    uint32_t n = 0;
    u32(n);
    if (n > max) fail(std::string(name) + ": more than " + std::to_string(max) + " entries");
    v.clear();
    if (!ok()) return;
    for (uint32_t i = 0; i < n && ok(); ++i) each(*this, v.emplace_back());
  }

  bool ok() const { return error_.empty(); }
  size_t remaining() const { return in_.size() - pos_; }
  // Ok when every read succeeded and, if `whole`, nothing is left over.
  Status status(bool whole = true) const {
    if (!ok()) return Status(Error::InvalidArgument, std::string(what_) + ": " + error_);
    if (whole && remaining() != 0)
      return Status(Error::InvalidArgument, std::string(what_) + ": " + std::to_string(remaining()) + " trailing bytes");
    return Status::ok();
  }
  void fail(std::string why) {
    if (ok()) error_ = std::move(why);
  }

 private:
  const char* take(size_t n) {
    if (!ok()) return nullptr;
    if (remaining() < n) {
      fail("truncated at byte " + std::to_string(pos_) + " (" + std::to_string(in_.size()) + " bytes)");
      return nullptr;
    }
    const char* p = in_.data() + pos_;
    pos_ += n;
    return p;
  }
  uint64_t le(size_t n) {
    const char* p = take(n);
    if (!p) return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
    return v;
  }

  std::string_view in_;
  std::string_view what_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace glassbook
