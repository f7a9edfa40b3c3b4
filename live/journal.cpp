#include "live/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "sim/input_file.hpp"

namespace firedrill::live {

using nlohmann::json;

namespace {

void fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(path + ": cannot open for fsync: " + std::strerror(errno));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw std::runtime_error(path + ": fsync failed: " + std::strerror(errno));
}

}  // namespace

std::string new_run_id() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return std::string(buf) + "-" + std::to_string(::getpid());
}

Journal Journal::create(const std::string& dir, const json& header) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error(dir + ": cannot create the journal directory: " + ec.message());
  Journal j;
  j.dir_ = dir;
  j.file_ = (std::filesystem::path(dir) / "journal.jsonl").string();
  if (std::filesystem::exists(j.file_)) throw std::runtime_error(j.file_ + ": a journal is already there");
  json h = header;
  h["type"] = "start";
  j.append(h);
  fsync_path(std::filesystem::path(dir).parent_path().string(), O_RDONLY | O_DIRECTORY);
  return j;
}

Journal Journal::open(const std::string& dir) {
  Journal j;
  j.dir_ = dir;
  j.file_ = (std::filesystem::path(dir) / "journal.jsonl").string();
  if (!std::filesystem::is_regular_file(j.file_)) {
    throw std::runtime_error(dir + ": expected a journal directory (with journal.jsonl), found none");
  }
  for (const auto& e : j.entries()) j.next_id_ = std::max(j.next_id_, e.id + 1);
  return j;
}

std::string utc_timestamp(std::chrono::system_clock::time_point now) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%06lld", static_cast<long long>(us));
  return std::string(buf) + frac;
}

void Journal::append(const json& line) {
  json stamped = line;
  if (stamped.is_object() && !stamped.contains("at")) stamped["at"] = utc_timestamp();
  const std::string text = stamped.dump() + "\n";
  const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error(file_ + ": cannot open: " + std::strerror(errno));
  const ssize_t n = ::write(fd, text.data(), text.size());
  const int rc = ::fsync(fd);
  ::close(fd);
  if (n != static_cast<ssize_t>(text.size()) || rc != 0) {
    throw std::runtime_error(file_ + ": cannot write the journal: " + std::strerror(errno));
  }
  fsync_path(dir_, O_RDONLY | O_DIRECTORY);
}

int Journal::record_action(const std::string& what, const std::string& describe, const json& undo) {
  const int id = next_id_++;
  append({{"type", "action"}, {"id", id}, {"what", what}, {"describe", describe}, {"undo", undo}});
  return id;
}

void Journal::mark(int id, const char* type) { append({{"type", type}, {"id", id}}); }

std::vector<JournalEntry> Journal::entries() const {
  auto text = sim::read_input_file(file_, "journal");
  if (const auto* d = std::get_if<sim::Diagnostic>(&text)) throw std::runtime_error(d->to_string());
  std::istringstream in(std::get<std::string>(text));
  std::vector<JournalEntry> out;
  std::map<int, std::size_t> index;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    const json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("type")) {
      // A line cut short by a crash is the last one; anything else is damage.
      if (in.peek() == EOF) break;
      throw std::runtime_error(file_ + ":" + std::to_string(number) + ": expected a journal line, found damage");
    }
    const std::string type = j["type"].get<std::string>();
    if (type == "action") {
      JournalEntry e;
      e.id = j.at("id").get<int>();
      e.what = j.value("what", "");
      e.describe = j.value("describe", "");
      e.undo = j.value("undo", json());
      e.at = j.value("at", "");
      index[e.id] = out.size();
      out.push_back(std::move(e));
    } else if ((type == "undone" || type == "failed") && index.contains(j.value("id", 0))) {
      auto& e = out[index[j["id"].get<int>()]];
      (type == "undone" ? e.undone : e.failed) = true;
      e.marked_at = j.value("at", "");
    }
  }
  return out;
}

UndoReport roll_back(Journal& journal,
                     const std::function<bool(const JournalEntry&, std::string& detail)>& undo,
                     const std::function<void(const std::string&)>& report) {
  UndoReport r;
  auto entries = journal.entries();
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (it->undone || it->failed) continue;
    if (!it->undo.is_object()) {  // nothing to undo ("none", or an action without undo)
      journal.mark(it->id, "undone");
      continue;
    }
    std::string detail;
    bool ok = false;
    try {
      ok = undo(*it, detail);
    } catch (const std::exception& e) {
      detail = e.what();
    }
    if (ok) {
      journal.mark(it->id, "undone");
      ++r.undone;
      report("rollback: undid " + it->what + (detail.empty() ? "" : ": " + detail));
    } else {
      ++r.failed;
      report("rollback: FAILED to undo " + it->what + ": " + detail);
    }
  }
  return r;
}

}  // namespace firedrill::live
