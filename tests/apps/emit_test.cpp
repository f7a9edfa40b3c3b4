// The Slurm and Kubernetes scripts of `firedrill sweep --emit`: their text, that bash and YAML
// accept them, and what they really run, with stand-ins for firedrill and sbatch that record
// their arguments (paths with spaces and quotes on purpose).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "apps/emit.hpp"

namespace fs = std::filesystem;
using firedrill::apps::EmitPlan;
using firedrill::apps::emit_k8s;
using firedrill::apps::emit_slurm;
using firedrill::apps::shell_quote;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "emit_test.XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void write_file(const fs::path& p, const std::string& text, bool executable = false) {
  std::ofstream(p, std::ios::binary) << text;
  if (executable) fs::permissions(p, fs::perms::owner_all, fs::perm_options::add);
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> read_lines(const fs::path& p) {
  std::vector<std::string> lines;
  std::ifstream in(p);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Runs a /bin/sh command line; its exit status (-1 when it did not exit normally).
int run(const std::string& command) {
  const int rc = std::system(command.c_str());
  return rc != -1 && WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string q(const fs::path& p) { return shell_quote(p.string()); }

// A folder with awkward names and a stand-in firedrill that writes its arguments, one a line,
// to $FAKE_ARGS and exits with $FAKE_STATUS (0 when unset).
struct Sandbox {
  TempDir tmp;
  fs::path root = tmp.path / "it's a dir";
  fs::path firedrill = root / "bin dir" / "fire drill";
  fs::path args = tmp.path / "args";
  EmitPlan plan;
  Sandbox() {
    fs::create_directories(root / "bin dir");
    write_file(firedrill,
               "#!/bin/sh\n: >\"$FAKE_ARGS\"\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >>\"$FAKE_ARGS\"; done\n"
               "exit \"${FAKE_STATUS:-0}\"\n",
               true);
    plan.firedrill = firedrill.string();
    plan.scenario = (root / "multi az.json").string();
    plan.trials = 400;
    plan.seed = 1;
    plan.shards = 4;
    plan.jobs_per_task = 2;
    plan.out_dir = (root / "out $dir").string();
  }
  std::string env() const { return "env -u SLURM_ARRAY_TASK_ID FAKE_ARGS=" + q(args) + " "; }
  std::vector<std::string> part_args(unsigned shards) const {
    std::vector<std::string> v{"merge"};
    for (unsigned k = 1; k <= shards; ++k) v.push_back(plan.out_dir + "/part-" + std::to_string(k) + ".json");
    return v;
  }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("shell_quote leaves plain words alone and single-quotes the rest") {
  CHECK(shell_quote("build/bin/firedrill") == "build/bin/firedrill");
  CHECK(shell_quote("a b") == "'a b'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("$HOME") == "'$HOME'");
  CHECK(shell_quote("") == "''");
}

TEST_CASE("the Slurm script: array range, shard expression, merge dependency; bash accepts it") {
  Sandbox s;
  const std::string script = emit_slurm(s.plan);
  CHECK(script.rfind("#!/usr/bin/env bash\n", 0) == 0);
  CHECK(contains(script, "\n#SBATCH --array=1-4\n"));
  CHECK(contains(script, "\n#SBATCH --cpus-per-task=2\n"));
  CHECK(contains(script, "--shard \"${SLURM_ARRAY_TASK_ID}/4\""));
  CHECK(contains(script, "--dependency=afterok:"));
  CHECK(contains(script, "jid=$(sbatch --parsable sweep.sbatch)"));
  CHECK(contains(script, "sbatch --dependency=afterok:$jid --wrap \""));
  // Every #SBATCH line comes before the first command, or sbatch ignores it.
  const auto first_command = script.find("\nset -euo pipefail");
  CHECK(script.rfind("#SBATCH", first_command) != std::string::npos);
  CHECK(script.find("#SBATCH", first_command) == std::string::npos);

  const fs::path file = s.tmp.path / "sweep.sbatch";
  write_file(file, script);
  CHECK(run("bash -n " + q(file)) == 0);
  // The lines as they would be with a stray quote would not pass: the check has teeth.
  write_file(s.tmp.path / "broken.sbatch", script + "echo \"unterminated\n");
  CHECK(run("bash -n " + q(s.tmp.path / "broken.sbatch") + " 2>/dev/null") != 0);
}

TEST_CASE("an array task runs its shard with the exact arguments; status 1 counts as success") {
  Sandbox s;
  const fs::path file = s.tmp.path / "sweep.sbatch";
  write_file(file, emit_slurm(s.plan));
  const std::string task = s.env() + "SLURM_ARRAY_TASK_ID=3 bash " + q(file);
  REQUIRE(run(task) == 0);
  const std::vector<std::string> expected{"sweep", s.plan.scenario, "--trials", "400", "--seed", "1",
                                          "--jobs", "2", "--shard", "3/4", "--json",
                                          s.plan.out_dir + "/part-3.json", "--quiet"};
  CHECK(read_lines(s.args) == expected);
  CHECK(fs::is_directory(s.plan.out_dir));
  CHECK(run("FAKE_STATUS=1 " + task) == 0);
  CHECK(run("FAKE_STATUS=3 " + task) == 3);
}

TEST_CASE("a sweep of a named variant: every shard runs that variant") {
  Sandbox s;
  s.plan.variant = "multi-az";
  const fs::path file = s.tmp.path / "sweep.sbatch";
  const std::string script = emit_slurm(s.plan);
  CHECK(contains(script, "multi az.json (variant multi-az), 400 trials"));
  write_file(file, script);
  REQUIRE(run(s.env() + "SLURM_ARRAY_TASK_ID=2 bash " + q(file)) == 0);
  const std::vector<std::string> expected{"sweep", s.plan.scenario, "--variant", "multi-az",
                                          "--trials", "400", "--seed", "1", "--jobs", "2",
                                          "--shard", "2/4", "--json",
                                          s.plan.out_dir + "/part-2.json", "--quiet"};
  CHECK(read_lines(s.args) == expected);
  CHECK(contains(emit_k8s(s.plan), " --variant multi-az --trials 400 "));
  s.plan.variant = "a\nb";
  CHECK_THROWS_AS(emit_slurm(s.plan), std::invalid_argument);
}

TEST_CASE("run with plain bash, the script submits itself as the array, then the merge after it") {
  Sandbox s;
  s.plan.merged = (s.root / "results dir" / "sweep 'all'.json").string();
  const fs::path file = s.tmp.path / "sweep.sbatch";
  write_file(file, emit_slurm(s.plan));
  // A stand-in sbatch: call N writes its arguments to sbatch-N, prints job id 100+N-1.
  const fs::path bin = s.tmp.path / "bin";
  fs::create_directories(bin);
  write_file(bin / "sbatch",
             "#!/bin/sh\nn=$(ls \"$SBATCH_LOG\" | wc -l); n=$((n + 1))\n"
             "for a in \"$@\"; do printf '%s\\n' \"$a\"; done >\"$SBATCH_LOG/sbatch-$n\"\n"
             "echo \"$((99 + n));cluster\"\n",
             true);
  const fs::path log = s.tmp.path / "sbatch log";
  fs::create_directories(log);
  const fs::path out = s.tmp.path / "stdout";
  const std::string env = s.env() + "PATH=" + q(bin) + ":\"$PATH\" SBATCH_LOG=" + q(log) + " ";
  REQUIRE(run("cd " + q(s.tmp.path) + " && " + env + "bash sweep.sbatch --partition=debug >" + q(out)) == 0);
  CHECK(read_file(out) == "array job 100 (4 shards), merge job 101\n");
  CHECK(fs::is_directory(s.plan.out_dir));
  CHECK(fs::is_directory(s.root / "results dir"));

  const std::vector<std::string> array{"--parsable", "--output=" + s.plan.out_dir + "/slurm-%A_%a.out",
                                       "--partition=debug", "sweep.sbatch"};
  CHECK(read_lines(log / "sbatch-1") == array);
  const auto merge = read_lines(log / "sbatch-2");
  REQUIRE(merge.size() == 7);
  CHECK(merge[0] == "--parsable");
  CHECK(merge[1] == "--job-name=firedrill-merge");
  CHECK(merge[2] == "--dependency=afterok:100");
  CHECK(merge[3] == "--output=" + s.plan.out_dir + "/merge-%j.out");
  CHECK(merge[4] == "--partition=debug");
  CHECK(merge[5] == "--wrap");

  // sbatch --wrap runs the command with /bin/sh.
  const fs::path wrap = s.tmp.path / "wrap.sh";
  write_file(wrap, merge[6] + "\n");
  CHECK(run(s.env() + "sh " + q(wrap)) == 0);
  auto expected = s.part_args(4);
  expected.push_back("--json");
  expected.push_back(s.plan.merged);
  CHECK(read_lines(s.args) == expected);
  CHECK(run(s.env() + "FAKE_STATUS=1 sh " + q(wrap)) == 0);
  CHECK(run(s.env() + "FAKE_STATUS=2 sh " + q(wrap)) == 2);
  // The by-hand line in the header submits the same merge.
  const std::string script = read_file(file);
  const auto at = script.find("#   sbatch --dependency=afterok:$jid --wrap ");
  REQUIRE(at != std::string::npos);
  const std::string by_hand = script.substr(at + 4, script.find('\n', at) - at - 4);
  const fs::path by_hand_sh = s.tmp.path / "by-hand.sh";
  write_file(by_hand_sh, "jid=100\n" + by_hand + "\n");
  const fs::path log2 = s.tmp.path / "sbatch log 2";
  fs::create_directories(log2);
  REQUIRE(run("PATH=" + q(bin) + ":\"$PATH\" SBATCH_LOG=" + q(log2) + " bash " + q(by_hand_sh) +
              " >/dev/null") == 0);
  CHECK(read_lines(log2 / "sbatch-1") ==
        std::vector<std::string>{"--dependency=afterok:100", "--wrap", merge[6]});
}

TEST_CASE("many shards: the merge loops over the parts instead of naming each") {
  Sandbox s;
  s.plan.shards = 40;
  const std::string script = emit_slurm(s.plan);
  CHECK(contains(script, "\n#SBATCH --array=1-40\n"));
  CHECK(contains(script, "--shard \"${SLURM_ARRAY_TASK_ID}/40\""));
  const fs::path file = s.tmp.path / "sweep.sbatch";
  write_file(file, script);
  CHECK(run("bash -n " + q(file)) == 0);
  // Evaluate the script's merge_command variable and run it.
  const fs::path wrap = s.tmp.path / "wrap.sh";
  REQUIRE(run("sed -n 's/^merge_command=/printf \"%s\\\\n\" /p' " + q(file) + " | sh >" + q(wrap)) == 0);
  CHECK(run(s.env() + "sh " + q(wrap)) == 0);
  auto expected = s.part_args(40);
  expected.push_back("--json");
  expected.push_back(s.plan.out_dir + "/sweep.json");
  CHECK(read_lines(s.args) == expected);
}

TEST_CASE("defaults: firedrill from PATH, parts and sweep.json in the current folder") {
  EmitPlan p;
  p.scenario = "s.json";
  p.trials = 10;
  const std::string script = emit_slurm(p);
  CHECK(contains(script, "\nfiredrill=firedrill\n"));
  CHECK(contains(script, "\nout_dir=.\n"));
  CHECK(contains(script, "\nmerged=./sweep.json\n"));
  CHECK(firedrill::apps::emit_part_paths(p) ==
        std::vector<std::string>{"./part-1.json", "./part-2.json", "./part-3.json", "./part-4.json"});
}

TEST_CASE("plans that cannot be emitted are refused") {
  EmitPlan p;
  p.scenario = "s.json";
  p.shards = 0;
  CHECK_THROWS_AS(emit_slurm(p), std::invalid_argument);
  p.shards = 2;
  p.jobs_per_task = 0;
  CHECK_THROWS_AS(emit_k8s(p), std::invalid_argument);
  p.jobs_per_task = 1;
  p.scenario = "";
  CHECK_THROWS_AS(emit_slurm(p), std::invalid_argument);
  p.scenario = "a\nb.json";
  CHECK_THROWS_AS(emit_slurm(p), std::invalid_argument);
  CHECK_THROWS_AS(emit_k8s(p), std::invalid_argument);
}

TEST_CASE("the Kubernetes manifest: a claim, an Indexed Job of N shards, a suspended merge") {
  Sandbox s;
  const std::string yaml = emit_k8s(s.plan);
  CHECK(contains(yaml, "completionMode: Indexed"));
  CHECK(contains(yaml, "--shard \"$((JOB_COMPLETION_INDEX + 1))/4\""));
  CHECK(contains(yaml, "PLACEHOLDER"));
  const std::vector<YAML::Node> docs = YAML::LoadAll(yaml);
  REQUIRE(docs.size() == 3);
  CHECK(docs[0]["kind"].as<std::string>() == "PersistentVolumeClaim");
  const std::string claim = docs[0]["metadata"]["name"].as<std::string>();
  CHECK(docs[0]["spec"]["accessModes"][0].as<std::string>() == "ReadWriteMany");

  const YAML::Node shards = docs[1];
  CHECK(shards["kind"].as<std::string>() == "Job");
  CHECK(shards["spec"]["completionMode"].as<std::string>() == "Indexed");
  CHECK(shards["spec"]["completions"].as<int>() == 4);
  CHECK(shards["spec"]["parallelism"].as<int>() == 4);
  const YAML::Node pod = shards["spec"]["template"]["spec"];
  CHECK(pod["restartPolicy"].as<std::string>() == "Never");
  CHECK(pod["volumes"][0]["persistentVolumeClaim"]["claimName"].as<std::string>() == claim);
  const YAML::Node shard = pod["containers"][0];
  CHECK(shard["image"].as<std::string>() == "firedrill:latest");
  CHECK(shard["volumeMounts"][0]["mountPath"].as<std::string>() == s.plan.out_dir);
  CHECK(shard["resources"]["requests"]["cpu"].as<std::string>() == "2");

  const YAML::Node merge = docs[2];
  CHECK(merge["kind"].as<std::string>() == "Job");
  CHECK(merge["spec"]["suspend"].as<bool>());
  const YAML::Node merge_pod = merge["spec"]["template"]["spec"];
  CHECK(merge_pod["volumes"][0]["persistentVolumeClaim"]["claimName"].as<std::string>() == claim);
  CHECK(merge_pod["containers"][0]["image"].as<std::string>() == "firedrill:latest");

  // What the containers run, with the stand-in firedrill (the out folder is absolute here, so
  // the claim is mounted right there).
  const fs::path shard_sh = s.tmp.path / "shard.sh";
  write_file(shard_sh, shard["args"][0].as<std::string>());
  REQUIRE(shard["command"][0].as<std::string>() == "/bin/sh");
  CHECK(run(s.env() + "JOB_COMPLETION_INDEX=1 sh " + q(shard_sh)) == 0);
  const std::vector<std::string> expected{"sweep", s.plan.scenario, "--trials", "400", "--seed", "1",
                                          "--jobs", "2", "--shard", "2/4", "--json",
                                          s.plan.out_dir + "/part-2.json", "--quiet"};
  CHECK(read_lines(s.args) == expected);
  CHECK(run(s.env() + "FAKE_STATUS=1 JOB_COMPLETION_INDEX=0 sh " + q(shard_sh)) == 0);
  CHECK(run(s.env() + "FAKE_STATUS=3 JOB_COMPLETION_INDEX=0 sh " + q(shard_sh)) == 3);

  const fs::path merge_sh = s.tmp.path / "merge.sh";
  write_file(merge_sh, merge_pod["containers"][0]["args"][0].as<std::string>());
  CHECK(run(s.env() + "sh " + q(merge_sh)) == 0);
  auto merged = s.part_args(4);
  merged.push_back("--json");
  merged.push_back(s.plan.out_dir + "/sweep.json");
  CHECK(read_lines(s.args) == merged);
}

TEST_CASE("Kubernetes with a relative out folder: the claim is mounted at /data") {
  EmitPlan p;
  p.scenario = "/scenarios/multi-az.json";
  p.trials = 100;
  p.out_dir = "runs/a";
  p.merged = "elsewhere/all.json";
  const std::vector<YAML::Node> docs = YAML::LoadAll(emit_k8s(p));
  REQUIRE(docs.size() == 3);
  const YAML::Node c = docs[1]["spec"]["template"]["spec"]["containers"][0];
  CHECK(c["volumeMounts"][0]["mountPath"].as<std::string>() == "/data");
  CHECK(contains(c["args"][0].as<std::string>(), "--json /data/part-\"$((JOB_COMPLETION_INDEX + 1))\".json"));
  CHECK(contains(docs[2]["spec"]["template"]["spec"]["containers"][0]["args"][0].as<std::string>(),
                 "firedrill merge /data/part-1.json /data/part-2.json /data/part-3.json "
                 "/data/part-4.json --json /data/all.json"));
}
