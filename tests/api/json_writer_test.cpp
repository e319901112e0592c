// JsonWriter: automatic commas, nesting, escaping (checked by parsing back with simdjson) and numbers.
#include "api/json_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdint>

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

TEST(JsonWriter, TakeMovesTheText) {
  JsonWriter w(16);
  w.begin_array().string("x").end_array();
  std::string s = w.take();
  EXPECT_EQ(s, R"(["x"])");
}

}  // namespace
}  // namespace glassbook::api
