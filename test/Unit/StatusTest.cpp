//===- StatusTest.cpp - errors that cannot pass unnoticed -----------------===//
//
// An Expected that holds an error aborts with the error's message when its
// value is used (not undefined behaviour); its value is there otherwise.
// That ignoring a Status does not compile quietly is
// test/Tools/status-nodiscard.test.
//
//===----------------------------------------------------------------------===//
#include "stde/API/Status.h"

#include <gtest/gtest.h>

#include <string>

using stde::Expected;
using stde::Status;

TEST(Expected, UsingTheValueOfAnErrorAbortsWithItsMessage) {
  Expected<std::string> failed(Status::error("the problem has no loss"));
  EXPECT_FALSE(failed.ok());
  EXPECT_DEATH((void)*failed, "holds an error was used: the problem has no loss");
  EXPECT_DEATH((void)failed->size(), "the problem has no loss");
}

TEST(Expected, AValueIsThere) {
  Expected<std::string> text(std::string("module"));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "module");
  EXPECT_EQ(text->size(), 6u);
}

TEST(Status, SuccessIsNotAnError) {
  EXPECT_TRUE(Status::success().ok());
  Status s = Status::error("x");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "x");
  // A success used as an error becomes an error that says so.
  Expected<int> e(Status::success());
  EXPECT_FALSE(e.ok());
  EXPECT_NE(e.error().find("internal"), std::string::npos);
}
