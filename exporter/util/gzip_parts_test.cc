#include "exporter/util/gzip_parts.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>

#include "exporter/util/testing/gunzip.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using testing::PythonGunzip;
std::string Gunzip(std::string_view gz) { return testing::ZlibGunzip(gz); }

DeflatedPart Deflated(std::string_view text) {
  StatusOr<DeflatedPart> part = DeflatePart(text);
  EXPECT_OK(part);
  return part.ok() ? *std::move(part) : DeflatedPart{};
}

std::string Exposition(int series, int seed) {
  std::string text;
  for (int i = 0; i < series; ++i) {
    text += "mailrep_x{ip=\"192.0.2." + std::to_string((i + seed) % 256) + "\"} " +
            std::to_string(i % 3) + "\n";
  }
  return text;
}

TEST(GzipPartsTest, OnePartRoundTrips) {
  std::string text = Exposition(5000, 1);
  DeflatedPart part = Deflated(text);
  EXPECT_EQ(part.size, text.size());
  EXPECT_LT(part.data.size(), text.size() / 5);
  std::string gz = GzipJoin({&part});
  EXPECT_EQ(Gunzip(gz), text);
  EXPECT_EQ(PythonGunzip(gz), text);
}

TEST(GzipPartsTest, PartsJoinToTheConcatenatedText) {
  std::string a = "# HELP a A.\n# TYPE a gauge\na 1\n", b = Exposition(3000, 7), c = "c 3\n";
  DeflatedPart pa = Deflated(a), pb = Deflated(b), pc = Deflated(c);
  std::string gz = GzipJoin({&pa, &pb, &pc});
  EXPECT_EQ(Gunzip(gz), a + b + c);
  EXPECT_EQ(PythonGunzip(gz), a + b + c);
}

TEST(GzipPartsTest, EmptyPartsAndNoParts) {
  DeflatedPart empty = Deflated("");
  EXPECT_EQ(empty.data, "");
  EXPECT_EQ(empty.size, 0u);
  DeflatedPart x = Deflated("x\n");
  EXPECT_EQ(Gunzip(GzipJoin({})), "");
  EXPECT_EQ(PythonGunzip(GzipJoin({})), "");
  EXPECT_EQ(Gunzip(GzipJoin({&empty})), "");
  std::string gz = GzipJoin({&empty, &x, &empty, &empty, &x, &empty});
  EXPECT_EQ(Gunzip(gz), "x\nx\n");
  EXPECT_EQ(PythonGunzip(gz), "x\nx\n");
}

TEST(GzipPartsTest, AppendPartEqualsJoiningTheParts) {
  std::string a = Exposition(100, 3), b = Exposition(200, 4);
  DeflatedPart joined;
  AppendPart(&joined, Deflated(a));
  AppendPart(&joined, Deflated(""));
  AppendPart(&joined, Deflated(b));
  EXPECT_EQ(joined.size, a.size() + b.size());
  EXPECT_EQ(joined.crc,
            crc32_z(0, reinterpret_cast<const Bytef*>((a + b).data()), a.size() + b.size()));
  DeflatedPart head = Deflated("head\n");
  EXPECT_EQ(Gunzip(GzipJoin({&head, &joined})), "head\n" + a + b);
}

// Random texts cut at random places, including empty pieces and pieces far
// larger than zlib's window: every join reads back as the whole text.
TEST(GzipPartsTest, RandomCutsRoundTrip) {
  std::mt19937 rng(20261207);
  for (int round = 0; round < 60; ++round) {
    std::string text;
    size_t length = std::uniform_int_distribution<size_t>(0, 300000)(rng);
    bool random_bytes = round % 3 == 0;  // incompressible input too
    while (text.size() < length) {
      text += random_bytes ? std::string(1, static_cast<char>(rng()))
                           : "m{i=\"" + std::to_string(rng() % 5000) + "\"} 1\n";
    }
    std::vector<DeflatedPart> parts;
    size_t at = 0;
    while (at < text.size() || parts.empty()) {
      size_t max = round % 2 == 0 ? 64 : 100000;
      size_t take = std::min(text.size() - at, std::uniform_int_distribution<size_t>(0, max)(rng));
      parts.push_back(Deflated(std::string_view(text).substr(at, take)));
      at += take;
    }
    std::vector<const DeflatedPart*> pointers;
    for (const DeflatedPart& part : parts) pointers.push_back(&part);
    ASSERT_EQ(Gunzip(GzipJoin(pointers)), text) << "round " << round;
  }
}

TEST(GzipPartsTest, PythonReadsARandomJoin) {
  std::mt19937 rng(7);
  std::string text = Exposition(20000, 9);
  std::vector<DeflatedPart> parts;
  for (size_t at = 0; at < text.size();) {
    size_t take = std::min(text.size() - at, size_t{rng() % 70000});
    parts.push_back(Deflated(std::string_view(text).substr(at, take)));
    at += take;
  }
  std::vector<const DeflatedPart*> pointers;
  for (const DeflatedPart& part : parts) pointers.push_back(&part);
  EXPECT_EQ(PythonGunzip(GzipJoin(pointers)), text);
}

}  // namespace
}  // namespace mailrep
