// Reading an input file, the one way every file firedrill is given is read (scenarios,
// bindings, result files, secret files, journals): only a regular file, and at most
// kMaxInputFileBytes of it, so that /dev/zero, a FIFO or a runaway file is refused with a
// clear message instead of blocking or eating memory.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "sim/error.hpp"

namespace firedrill::sim {

// The largest input file read (256 MiB): far above any scenario or result, far below memory.
inline constexpr std::uintmax_t kMaxInputFileBytes = std::uintmax_t{256} << 20;

// The text of the file at `path`, or why not: a Diagnostic naming the file (pointer "") with
// what was expected (`what` names the file's role: "scenario file", "result file") and found:
// "no such file", "a directory", "a character device", "a named pipe (fifo)", "a file of
// 300 MiB" (over `limit`), "permission denied". Opening never blocks (a FIFO is refused
// without waiting for a writer), and the limit holds for files whose size the system does
// not report (/proc) and files that grow while read.
std::variant<std::string, Diagnostic> read_input_file(const std::string& path, std::string_view what,
                                                      std::uintmax_t limit = kMaxInputFileBytes);

// "256 MiB", "1.5 GiB", "300 bytes": a file size in binary units, as the messages show it.
std::string file_size_text(std::uintmax_t bytes);

}  // namespace firedrill::sim
