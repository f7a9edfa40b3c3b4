// The base of the CLI's commands (apps/cmd_*.cpp): the CLI11 node that a command's
// add_command creates, and whether it was the command given. Lean header: CLI11, the model
// registry and the history are only declared, for the commands' headers.
// (selected() is defined in apps/common.cpp.)
#pragma once

namespace CLI {
class App;
}

namespace firedrill::sim {
class ModelRegistry;
}

namespace firedrill::apps {

class HistoryCli;

class Command {
 public:
  [[nodiscard]] bool selected() const;
  // The command's node, e.g. to add the history's recording options to.
  [[nodiscard]] CLI::App* command() const { return command_; }

 protected:
  CLI::App* command_ = nullptr;
};

}  // namespace firedrill::apps
