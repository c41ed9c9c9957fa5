//===- JsonTest.cpp - The strict JSON parser and writer -------------------===//

#include "MirageRuntime/Json.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mirage::rt;

namespace {

std::string error(const std::string &text) {
  Expected<JsonValue> v = parseJson(text);
  return v ? std::string() : v.message();
}

TEST(Json, ParsesEveryKind) {
  Expected<JsonValue> v = parseJson(
      R"( {"a": [1, -2, 3.5, 1e3, true, false, null], "b": {"c": "d"}} )");
  ASSERT_TRUE(static_cast<bool>(v)) << v.message();
  const JsonValue &a = *v->find("a");
  ASSERT_TRUE(a.isArray());
  ASSERT_EQ(a.getArray().size(), 7u);
  EXPECT_TRUE(a.getArray()[0].isInteger());
  EXPECT_EQ(a.getArray()[1].getInteger(), -2);
  EXPECT_FALSE(a.getArray()[2].isInteger());
  EXPECT_EQ(a.getArray()[2].getNumber(), 3.5);
  EXPECT_FALSE(a.getArray()[3].isInteger());
  EXPECT_EQ(a.getArray()[3].getNumber(), 1000.0);
  EXPECT_TRUE(a.getArray()[4].getBool());
  EXPECT_TRUE(a.getArray()[6].isNull());
  EXPECT_EQ(v->find("b")->find("c")->getString(), "d");
  EXPECT_EQ(v->find("missing"), nullptr);
}

TEST(Json, DecodesEscapes) {
  Expected<JsonValue> v =
      parseJson(R"("q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00")");
  ASSERT_TRUE(static_cast<bool>(v)) << v.message();
  EXPECT_EQ(v->getString(), "q\" b\\ s/ \b\f\n\r\t \xc3\xa9 \xf0\x9f\x98\x80");
}

TEST(Json, KeepsLargeIntegersExact) {
  Expected<JsonValue> v = parseJson("9007199254740993");
  ASSERT_TRUE(static_cast<bool>(v));
  EXPECT_EQ(v->getInteger(), 9007199254740993LL);
  EXPECT_EQ(error("9223372036854775808"),
            "line 1, column 1: integer 9223372036854775808 does not fit in "
            "64 bits");
}

TEST(Json, RejectsWhatRfc8259Rejects) {
  EXPECT_EQ(error("[1, 2,]"),
            "line 1, column 7: unexpected character ']', expected a value");
  EXPECT_EQ(error("{\"a\": 1,}"), "line 1, column 9: expected a string key "
                                  "in object");
  EXPECT_EQ(error("01"), "line 1, column 2: leading zero in number");
  EXPECT_EQ(error("1."), "line 1, column 3: expected a digit after '.' in "
                         "number");
  EXPECT_EQ(error("NaN"), "line 1, column 1: unexpected character 'N', "
                          "expected a value");
  EXPECT_EQ(error("// c\n1"),
            "line 1, column 1: unexpected character '/', expected a value");
  EXPECT_EQ(error("'a'"),
            "line 1, column 1: unexpected character ''', expected a value");
  EXPECT_EQ(error("\"a\nb\""),
            "line 1, column 3: control character in string (escape it)");
  EXPECT_EQ(error("\"\\x\""), "line 1, column 3: invalid escape '\\x' in "
                              "string");
  EXPECT_EQ(error("\"\\ud800\""),
            "line 1, column 8: unpaired surrogate in \\u escape");
  EXPECT_EQ(error("tru"), "line 1, column 1: invalid literal (expected "
                          "true)");
  EXPECT_EQ(error("1 2"), "line 1, column 3: unexpected text after the JSON "
                          "value");
  EXPECT_EQ(error(""), "line 1, column 1: unexpected end of input, expected "
                       "a value");
  EXPECT_EQ(error("1e999"), "line 1, column 1: number 1e999 is out of range");
}

TEST(Json, RejectsDuplicateKeys) {
  EXPECT_EQ(error("{\n  \"a\": 1,\n  \"a\": 2\n}"),
            "line 3, column 3: duplicate key \"a\"");
}

TEST(Json, LimitsNesting) {
  std::string deep(200, '[');
  deep += std::string(200, ']');
  EXPECT_EQ(error(deep), "line 1, column 130: nesting deeper than 128");
  std::string ok(100, '[');
  ok += std::string(100, ']');
  EXPECT_EQ(error(ok), "");
}

TEST(Json, FormatsAndReadsBack) {
  JsonValue root = JsonValue::object();
  root.set("name", JsonValue::string("a\"b\n"));
  root.set("n", JsonValue::integer(-3));
  root.set("x", JsonValue::number(0.1));
  root.set("nan", JsonValue::number(std::nan("")));
  JsonValue list = JsonValue::array();
  list.push(JsonValue::boolean(true));
  list.push(JsonValue());
  root.set("list", std::move(list));
  EXPECT_EQ(formatJson(root), "{\"name\": \"a\\\"b\\n\", \"n\": -3, \"x\": "
                              "0.1, \"nan\": null, \"list\": [true, null]}");
  Expected<JsonValue> back = parseJson(formatJson(root, 2));
  ASSERT_TRUE(static_cast<bool>(back)) << back.message();
  EXPECT_EQ(formatJson(*back), formatJson(root));
}

// Found by the manifest fuzz target: -0e5 read as the number -0 was written
// as "-0", which reads back as the integer 0.
TEST(Json, NumbersThatLookIntegralStayNumbers) {
  for (const char *text : {"-0e5", "5.0", "1e2", "-3.0e0"}) {
    Expected<JsonValue> value = parseJson(text);
    ASSERT_TRUE(static_cast<bool>(value)) << value.message();
    ASSERT_EQ(value->getKind(), JsonValue::Kind::Number) << text;
    std::string printed = formatJson(*value);
    Expected<JsonValue> again = parseJson(printed);
    ASSERT_TRUE(static_cast<bool>(again)) << again.message();
    EXPECT_EQ(again->getKind(), JsonValue::Kind::Number) << printed;
    EXPECT_EQ(std::signbit(again->getNumber()),
              std::signbit(value->getNumber()))
        << printed;
    EXPECT_EQ(again->getNumber(), value->getNumber()) << printed;
    EXPECT_EQ(formatJson(*again), printed);
  }
  EXPECT_EQ(formatJson(JsonValue::number(-0.0)), "-0.0");
  EXPECT_EQ(formatJson(JsonValue::number(2)), "2.0");
}

} // namespace
