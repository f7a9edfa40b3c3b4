#include "sim/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <algorithm>
#include <cstring>
#include <utility>

namespace firedrill::sim {

namespace {

// What a file that is not a regular file is, as an error message says it.
std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a named pipe (fifo)";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// Closes the descriptor on every way out.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string file_size_text(std::uintmax_t bytes) {
  constexpr std::uintmax_t kKiB = 1024, kMiB = kKiB << 10, kGiB = kMiB << 10;
  if (bytes < kKiB) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  const auto [unit, name] = bytes >= kGiB   ? std::pair{kGiB, "GiB"}
                            : bytes >= kMiB ? std::pair{kMiB, "MiB"}
                                            : std::pair{kKiB, "KiB"};
  char text[64];
  if (bytes % unit == 0) {
    std::snprintf(text, sizeof text, "%ju %s", bytes / unit, name);
  } else {
    std::snprintf(text, sizeof text, "%.1f %s", static_cast<double>(bytes) / static_cast<double>(unit),
                  name);
  }
  return text;
}

std::variant<std::string, Diagnostic> read_input_file(const std::string& path, std::string_view what,
                                                      std::uintmax_t limit) {
  const std::string role(what);
  auto fail = [&](std::string expected, std::string found) {
    return Diagnostic{path, "", 0, 0, std::move(expected), std::move(found), ""};
  };
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
  Fd file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  if (file.fd < 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) return fail("a readable " + role, "no such file");
    return fail("a readable " + role, lower(std::strerror(err)));
  }
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) return fail("a readable " + role, lower(std::strerror(errno)));
  if (!S_ISREG(st.st_mode)) return fail("a " + role + " (a regular file)", kind_of(st.st_mode));
  const std::string expected_size = "a " + role + " of at most " + file_size_text(limit);
  const auto size = static_cast<std::uintmax_t>(st.st_size);
  if (size > limit) return fail(expected_size, "a file of " + file_size_text(size));

  // Read up to one byte past the limit: a file that reports no size (/proc) or grows while it
  // is read is cut off there.
  std::string text;
  text.resize(static_cast<std::size_t>(size > 0 ? size : 4096));
  std::size_t used = 0;
  for (;;) {
    if (used == text.size()) {
      if (text.size() > limit) return fail(expected_size, "a file of more than " + file_size_text(limit));
      const std::uintmax_t grown = std::min<std::uintmax_t>(limit + 1, std::uintmax_t{text.size()} * 2);
      text.resize(static_cast<std::size_t>(grown));
    }
    const ssize_t n = ::read(file.fd, text.data() + used, text.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("a readable " + role, "a read error (" + lower(std::strerror(errno)) + ")");
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > limit) return fail(expected_size, "a file of more than " + file_size_text(limit));
  text.resize(used);
  return text;
}

}  // namespace firedrill::sim
