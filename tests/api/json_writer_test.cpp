// JsonWriter: automatic commas, nesting, escaping (checked by parsing back with simdjson) and numbers.
#include "api/json_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdint>
#include <random>
#include <string>

namespace glassbook::api {
namespace {

TEST(JsonWriter, CommasAndNesting) {
  JsonWriter w;
  w.begin_object();
  w.key("a").integer(1);
  w.key("b").begin_array().integer(-2).unsigned_integer(3).null().boolean(true).boolean(false).end_array();
  w.key("c").begin_object().end_object();
  w.key("d").begin_array().begin_array().end_array().begin_object().key("x").decimal("1.50").end_object().end_array();
  w.key("e").raw(R"({"k":[1,2]})");
  w.end_object();
  EXPECT_EQ(w.text(), R"({"a":1,"b":[-2,3,null,true,false],"c":{},"d":[[],{"x":"1.50"}],"e":{"k":[1,2]}})");
}

TEST(JsonWriter, TopLevelArrayAndExtremes) {
  JsonWriter w;
  w.begin_array().integer(INT64_MIN).integer(INT64_MAX).unsigned_integer(UINT64_MAX).end_array();
  EXPECT_EQ(w.text(), "[-9223372036854775808,9223372036854775807,18446744073709551615]");
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  std::string nasty = "q\"b\\n\nr\rt\tb\bf\f";
  nasty.push_back('\0');
  nasty += "\x01\x1f\x7f é";
  JsonWriter w;
  w.begin_object().key("k\"ey").string(nasty).end_object();
  EXPECT_EQ(w.text(), "{\"k\\\"ey\":\"q\\\"b\\\\n\\nr\\rt\\tb\\bf\\f\\u0000\\u0001\\u001f\x7f é\"}");
  simdjson::dom::parser p;
  simdjson::dom::element doc = p.parse(w.text());
  EXPECT_EQ(std::string_view(doc["k\"ey"]), nasty);
}

std::string escaped(std::string_view text) {
  std::string out;
  append_json_escaped(out, text);
  return out;
}

TEST(JsonWriter, IllFormedUtf8BecomesTheReplacementCharacter) {
  EXPECT_EQ(escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e");  // well-formed: as is
  EXPECT_EQ(escaped("a\xff b"), "a\\ufffd b");                        // never a UTF-8 byte
  EXPECT_EQ(escaped("\x80"), "\\ufffd");                              // a lone continuation byte
  EXPECT_EQ(escaped("\xc0\xaf"), "\\ufffd\\ufffd");                    // overlong '/'
  EXPECT_EQ(escaped("\xe2\x82"), "\\ufffd");                          // cut short: one maximal subpart
  EXPECT_EQ(escaped("\xe2\x82x"), "\\ufffdx");
  EXPECT_EQ(escaped("\xed\xa0\x80"), "\\ufffd\\ufffd\\ufffd");          // a UTF-16 surrogate
  EXPECT_EQ(escaped("\xf4\x90\x80\x80"), "\\ufffd\\ufffd\\ufffd\\ufffd");  // above U+10FFFF
  EXPECT_EQ(escaped("\xf0\x9f\x98"), "\\ufffd");
}

TEST(JsonWriter, WritesValidUtf8JsonWhateverBytesItIsGiven) {
  std::mt19937 gen(18);  // fixed seed: the same strings every run
  std::uniform_int_distribution<int> byte(0, 255), length(0, 12);
  simdjson::dom::parser p;
  for (int i = 0; i < 20'000; ++i) {
    std::string s;
    for (int n = length(gen); n > 0; --n) s.push_back(static_cast<char>(byte(gen)));
    JsonWriter w;
    w.begin_object().key(s).string(s).key("d").decimal(s).end_object();
    ASSERT_TRUE(simdjson::validate_utf8(w.text())) << i;
    simdjson::dom::element doc;
    ASSERT_EQ(p.parse(w.text()).get(doc), simdjson::SUCCESS) << i;
    if (simdjson::validate_utf8(s)) {
      EXPECT_EQ(std::string_view(doc["d"]), s);  // well-formed text survives intact
    }
  }
}

TEST(JsonWriter, TakeMovesTheText) {
  JsonWriter w(16);
  w.begin_array().string("x").end_array();
  std::string s = w.take();
  EXPECT_EQ(s, R"(["x"])");
}

}  // namespace
}  // namespace glassbook::api
