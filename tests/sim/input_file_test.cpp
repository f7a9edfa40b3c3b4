#include "sim/input_file.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <variant>

using namespace firedrill::sim;

namespace {

// A fresh temporary folder, removed with everything in it at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "firedrill-input-XXXXXX").string();
    REQUIRE_MESSAGE(::mkdtemp(pattern.data()) != nullptr, "cannot create a temporary folder");
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  [[nodiscard]] std::string file(const std::string& name, const std::string& text) const {
    const std::string p = (path / name).string();
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
};

std::string rendered_error(const std::variant<std::string, Diagnostic>& r) {
  REQUIRE(std::holds_alternative<Diagnostic>(r));
  return std::get<Diagnostic>(r).to_string();
}

}  // namespace

TEST_CASE("input files: a regular file is read whole, to the byte") {
  TempDir dir;
  const std::string text("{\"a\": 1}\n\0tail", 15);
  const auto r = read_input_file(dir.file("a.json", text), "scenario file");
  REQUIRE(std::holds_alternative<std::string>(r));
  CHECK(std::get<std::string>(r) == text);
  const auto empty = read_input_file(dir.file("empty.json", ""), "scenario file");
  REQUIRE(std::holds_alternative<std::string>(empty));
  CHECK(std::get<std::string>(empty).empty());
}

TEST_CASE("input files: what is not a regular file is refused, and says what it is") {
  TempDir dir;
  CHECK(rendered_error(read_input_file("/dev/zero", "scenario file")) ==
        "/dev/zero: (document): expected a scenario file (a regular file), found a character device");
  CHECK(rendered_error(read_input_file(dir.path.string(), "result file")) ==
        dir.path.string() + ": (document): expected a result file (a regular file), found a directory");
  // A FIFO without a writer: refused at once (opening it for reading would wait forever).
  const std::string fifo = (dir.path / "pipe.json").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(rendered_error(read_input_file(fifo, "bindings file")) ==
        fifo + ": (document): expected a bindings file (a regular file), found a named pipe (fifo)");
  CHECK(rendered_error(read_input_file((dir.path / "none.json").string(), "scenario file")) ==
        (dir.path / "none.json").string() +
            ": (document): expected a readable scenario file, found no such file");
}

TEST_CASE("input files: the size limit, named in the message") {
  TempDir dir;
  const std::string ten = dir.file("ten.json", "0123456789");
  CHECK(std::holds_alternative<std::string>(read_input_file(ten, "scenario file", 10)));
  CHECK(rendered_error(read_input_file(ten, "scenario file", 9)) ==
        ten + ": (document): expected a scenario file of at most 9 bytes, found a file of 10 bytes");

  // The default limit, 256 MiB, against a sparse file of 300 MiB (nothing is read).
  const std::string big = (dir.path / "big.json").string();
  std::filesystem::resize_file(dir.file("big.json", ""), std::uintmax_t{300} << 20);
  CHECK(rendered_error(read_input_file(big, "scenario file")) ==
        big + ": (document): expected a scenario file of at most 256 MiB, found a file of 300 MiB");

  // A file that reports no size (/proc) is cut off at the limit as it is read.
  const auto proc = read_input_file("/proc/self/maps", "scenario file", 16);
  CHECK(rendered_error(proc) ==
        "/proc/self/maps: (document): expected a scenario file of at most 16 bytes, found a file of "
        "more than 16 bytes");
  CHECK(std::holds_alternative<std::string>(read_input_file("/proc/self/maps", "scenario file")));
}

TEST_CASE("input files: sizes in binary units") {
  CHECK(file_size_text(0) == "0 bytes");
  CHECK(file_size_text(1) == "1 byte");
  CHECK(file_size_text(1023) == "1023 bytes");
  CHECK(file_size_text(1024) == "1 KiB");
  CHECK(file_size_text(1536) == "1.5 KiB");
  CHECK(file_size_text(kMaxInputFileBytes) == "256 MiB");
  CHECK(file_size_text(std::uintmax_t{3} << 30) == "3 GiB");
}
