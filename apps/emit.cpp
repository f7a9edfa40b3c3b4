// Slurm job-array scripts and Kubernetes Indexed Job manifests for sharded sweeps.
#include "apps/emit.hpp"

#include <sstream>
#include <stdexcept>

namespace firedrill::apps {

namespace {

// Merging more parts than this writes a loop instead of naming every part.
constexpr unsigned kListedParts = 32;

void check_path(const std::string& what, const std::string& path) {
  if (path.empty()) throw std::invalid_argument("emit: " + what + " is empty");
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f) {
      throw std::invalid_argument("emit: " + what + " holds a control character (newline, tab, ...): " +
                                  path);
    }
  }
}

// Checks the plan and fills in the defaults: binary "firedrill", out_dir ".", merged
// out_dir/sweep.json; out_dir loses trailing slashes.
EmitPlan normalised(const EmitPlan& p) {
  EmitPlan n = p;
  if (n.firedrill.empty()) n.firedrill = "firedrill";
  if (n.out_dir.empty()) n.out_dir = ".";
  while (n.out_dir.size() > 1 && n.out_dir.back() == '/') n.out_dir.pop_back();
  if (n.merged.empty()) n.merged = (n.out_dir == "/" ? "" : n.out_dir) + "/sweep.json";
  if (n.shards == 0) throw std::invalid_argument("emit: the number of shards must be at least 1");
  if (n.jobs_per_task == 0) throw std::invalid_argument("emit: jobs per task must be at least 1");
  check_path("the firedrill binary path", n.firedrill);
  check_path("the scenario path", n.scenario);
  check_path("the output folder", n.out_dir);
  check_path("the merged result path", n.merged);
  if (!n.variant.empty()) check_path("the variant name", n.variant);
  return n;
}

std::string in_dir(const std::string& dir, const std::string& name) {
  return (dir == "/" ? "" : dir) + "/" + name;
}

// Inside double quotes for the shell: \ " $ ` escaped.
std::string double_quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\\' || c == '"' || c == '$' || c == '`') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A YAML double-quoted scalar (control characters were refused before).
std::string yaml_quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

// POSIX sh: merges the N parts in dir into merged; status 1 (a target missed) is success.
std::string merge_command(const std::string& firedrill, const std::string& dir, unsigned shards,
                          const std::string& merged) {
  std::ostringstream s;
  if (shards <= kListedParts) {
    s << shell_quote(firedrill) << " merge";
    for (unsigned k = 1; k <= shards; ++k) s << ' ' << shell_quote(in_dir(dir, "part-" + std::to_string(k) + ".json"));
  } else {
    s << "set --; i=1; while [ \"$i\" -le " << shards << " ]; do set -- \"$@\" "
      << shell_quote(in_dir(dir, "part-")) << "\"$i\".json; i=$((i + 1)); done; "
      << shell_quote(firedrill) << " merge \"$@\"";
  }
  s << " --json " << shell_quote(merged) << "; rc=$?; [ \"$rc\" -le 1 ] || exit \"$rc\"";
  return s.str();
}

// " (variant NAME)" or "".
std::string variant_text(const EmitPlan& p) {
  return p.variant.empty() ? std::string() : " (variant " + p.variant + ")";
}

std::string sweep_arguments(const EmitPlan& p) {
  return (p.variant.empty() ? std::string() : " --variant " + shell_quote(p.variant)) +
         " --trials " + std::to_string(p.trials) + " --seed " + std::to_string(p.seed) +
         " --jobs " + std::to_string(p.jobs_per_task);
}

}  // namespace

std::string shell_quote(const std::string& word) {
  static const std::string safe =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@%+=:,./-";
  if (!word.empty() && word.find_first_not_of(safe) == std::string::npos) return word;
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

std::vector<std::string> emit_part_paths(const EmitPlan& plan) {
  const EmitPlan p = normalised(plan);
  std::vector<std::string> parts;
  for (unsigned k = 1; k <= p.shards; ++k) parts.push_back(in_dir(p.out_dir, "part-" + std::to_string(k) + ".json"));
  return parts;
}

std::string emit_slurm(const EmitPlan& plan) {
  const EmitPlan p = normalised(plan);
  const std::string n = std::to_string(p.shards);
  const std::string merge = merge_command(p.firedrill, p.out_dir, p.shards, p.merged);
  std::ostringstream s;
  s << "#!/usr/bin/env bash\n"
    << "# A firedrill sweep as a Slurm job array: " << p.scenario << variant_text(p) << ", " << p.trials << " trials, seed "
    << p.seed << ",\n# " << n << " shards of --jobs " << p.jobs_per_task
    << " each. Written by `firedrill sweep --emit slurm`.\n"
    << "#\n"
    << "# Submit the array and a merge job that runs once every shard succeeded, either with\n"
    << "#   bash sweep.sbatch [SBATCH OPTIONS...]\n"
    << "# which submits both and prints their job ids (the options, e.g. --partition=P\n"
    << "# --time=2:00:00, go to both jobs), or by hand:\n"
    << "#   jid=$(sbatch --parsable sweep.sbatch)\n"
    << "#   sbatch --dependency=afterok:$jid --wrap " << double_quoted(merge) << "\n"
    << "#\n"
    << "# Array task K runs shard K/" << n << " and writes " << in_dir(p.out_dir, "part-K.json")
    << "; the merge job writes\n# " << p.merged << ". Exit status 1 (a target missed) counts as success.\n"
    << "# Paths are used as written: they must be valid on the compute nodes, and relative ones are\n"
    << "# relative to the directory you submit from.\n"
    << "#\n"
    << "#SBATCH --job-name=firedrill-sweep\n"
    << "#SBATCH --array=1-" << n << "\n"
    << "#SBATCH --ntasks=1\n"
    << "#SBATCH --cpus-per-task=" << p.jobs_per_task << "\n"
    << "set -euo pipefail\n"
    << "\n"
    << "firedrill=" << shell_quote(p.firedrill) << "\n"
    << "scenario=" << shell_quote(p.scenario) << "\n"
    << "out_dir=" << shell_quote(p.out_dir) << "\n"
    << "merged=" << shell_quote(p.merged) << "\n"
    << "merge_command=" << shell_quote(merge) << "\n"
    << "\n"
    << "if [[ -z ${SLURM_ARRAY_TASK_ID:-} ]]; then\n"
    << "  # Not an array task: submit this script as the array, then the merge job after it.\n"
    << "  self=${BASH_SOURCE[0]:-}\n"
    << "  if [[ ! -f $self ]]; then echo \"run this script as: bash FILE [SBATCH OPTIONS...]\" >&2; exit 2; fi\n"
    << "  command -v sbatch >/dev/null || { echo \"sbatch not found: run this where Slurm jobs are submitted\" >&2; exit 2; }\n"
    << "  mkdir -p -- \"$out_dir\" \"$(dirname -- \"$merged\")\"\n"
    << "  logs=${out_dir//%/%%}  # % starts a pattern in Slurm file names\n"
    << "  array_id=$(sbatch --parsable --output=\"$logs/slurm-%A_%a.out\" \"$@\" \"$self\")\n"
    << "  array_id=${array_id%%;*}\n"
    << "  merge_id=$(sbatch --parsable --job-name=firedrill-merge --dependency=afterok:\"$array_id\" \\\n"
    << "    --output=\"$logs/merge-%j.out\" \"$@\" --wrap \"$merge_command\")\n"
    << "  merge_id=${merge_id%%;*}\n"
    << "  echo \"array job $array_id (" << n << " shards), merge job $merge_id\"\n"
    << "  exit 0\n"
    << "fi\n"
    << "\n"
    << "# Array task K runs shard K of " << n << ".\n"
    << "mkdir -p -- \"$out_dir\"\n"
    << "status=0\n"
    << "\"$firedrill\" sweep \"$scenario\"" << sweep_arguments(p)
    << " --shard \"${SLURM_ARRAY_TASK_ID}/" << n << "\" \\\n"
    << "  --json \"$out_dir/part-${SLURM_ARRAY_TASK_ID}.json\" --quiet || status=$?\n"
    << "if (( status > 1 )); then exit \"$status\"; fi\n";
  return s.str();
}

std::string emit_k8s(const EmitPlan& plan) {
  const EmitPlan p = normalised(plan);
  const std::string n = std::to_string(p.shards);
  const std::string mount = p.out_dir.front() == '/' ? p.out_dir : "/data";
  // The merged file keeps its place under out_dir; elsewhere it goes to the claim by name.
  const std::string prefix = p.out_dir == "/" ? "/" : p.out_dir + "/";
  std::string merged_rel = p.merged.substr(p.merged.find_last_of('/') + 1);  // npos + 1 == 0
  if (p.merged.rfind(prefix, 0) == 0) merged_rel = p.merged.substr(prefix.size());
  const std::string merged = in_dir(mount, merged_rel);
  const std::string part = in_dir(mount, "part-");
  const char* image = "firedrill:latest";
  const char* claim = "firedrill-sweep-data";

  std::ostringstream s;
  s << "# A firedrill sweep as a Kubernetes Indexed Job: " << p.scenario << variant_text(p) << ", " << p.trials << " trials,\n"
    << "# seed " << p.seed << ", " << n << " shards of --jobs " << p.jobs_per_task
    << " each. Written by `firedrill sweep --emit k8s`.\n"
    << "#\n"
    << "# IMAGE PLACEHOLDER: \"" << image << "\" below stands for your image. Build one holding the\n"
    << "# firedrill binary (run as " << p.firedrill << ") and the scenario (" << p.scenario << "),\n"
    << "# push it and replace \"" << image << "\" in both Jobs.\n"
    << "#\n"
    << "# Run: the claim, the shard Job and a suspended merge Job, then resume the merge once every\n"
    << "# shard completed:\n"
    << "#   kubectl apply -f sweep.yaml\n"
    << "#   kubectl wait --for=condition=complete job/firedrill-sweep --timeout=24h\n"
    << "#   kubectl patch job firedrill-merge --type=merge -p '{\"spec\":{\"suspend\":false}}'\n"
    << "#   kubectl wait --for=condition=complete job/firedrill-merge --timeout=1h\n"
    << "#\n"
    << "# Pod JOB_COMPLETION_INDEX=i runs shard i+1/" << n << " and writes " << part << "<i+1>.json on the\n"
    << "# claim " << claim << " (ReadWriteMany: pods may run on different nodes), mounted at\n"
    << "# " << mount << "; the merge Job writes " << merged << " there. Exit status 1 (a target\n"
    << "# missed) counts as success. Rename the objects to run several sweeps in one namespace.\n"
    << "apiVersion: v1\n"
    << "kind: PersistentVolumeClaim\n"
    << "metadata:\n"
    << "  name: " << claim << "\n"
    << "spec:\n"
    << "  accessModes: [ReadWriteMany]\n"
    << "  resources:\n"
    << "    requests:\n"
    << "      storage: 1Gi\n"
    << "---\n"
    << "apiVersion: batch/v1\n"
    << "kind: Job\n"
    << "metadata:\n"
    << "  name: firedrill-sweep\n"
    << "spec:\n"
    << "  completionMode: Indexed\n"
    << "  completions: " << n << "\n"
    << "  parallelism: " << n << "\n"
    << "  backoffLimit: 6\n"
    << "  template:\n"
    << "    spec:\n"
    << "      restartPolicy: Never\n"
    << "      containers:\n"
    << "        - name: shard\n"
    << "          image: " << image << "  # PLACEHOLDER: your image with firedrill\n"
    << "          command: [\"/bin/sh\", \"-c\"]\n"
    << "          args:\n"
    << "            - |\n"
    << "              mkdir -p " << shell_quote(mount) << "\n"
    << "              status=0\n"
    << "              " << shell_quote(p.firedrill) << " sweep " << shell_quote(p.scenario) << sweep_arguments(p)
    << " --shard \"$((JOB_COMPLETION_INDEX + 1))/" << n << "\" --json "
    << shell_quote(part) << "\"$((JOB_COMPLETION_INDEX + 1))\".json --quiet || status=$?\n"
    << "              [ \"$status\" -le 1 ] || exit \"$status\"\n"
    << "          resources:\n"
    << "            requests:\n"
    << "              cpu: \"" << p.jobs_per_task << "\"\n"
    << "          volumeMounts:\n"
    << "            - name: data\n"
    << "              mountPath: " << yaml_quoted(mount) << "\n"
    << "      volumes:\n"
    << "        - name: data\n"
    << "          persistentVolumeClaim:\n"
    << "            claimName: " << claim << "\n"
    << "---\n"
    << "# The merge: resume it (kubectl patch, above) once job/firedrill-sweep completed.\n"
    << "apiVersion: batch/v1\n"
    << "kind: Job\n"
    << "metadata:\n"
    << "  name: firedrill-merge\n"
    << "spec:\n"
    << "  suspend: true\n"
    << "  completions: 1\n"
    << "  parallelism: 1\n"
    << "  backoffLimit: 2\n"
    << "  template:\n"
    << "    spec:\n"
    << "      restartPolicy: Never\n"
    << "      containers:\n"
    << "        - name: merge\n"
    << "          image: " << image << "  # PLACEHOLDER: your image with firedrill\n"
    << "          command: [\"/bin/sh\", \"-c\"]\n"
    << "          args:\n"
    << "            - |\n"
    << "              " << merge_command(p.firedrill, mount, p.shards, merged) << "\n"
    << "          volumeMounts:\n"
    << "            - name: data\n"
    << "              mountPath: " << yaml_quoted(mount) << "\n"
    << "      volumes:\n"
    << "        - name: data\n"
    << "          persistentVolumeClaim:\n"
    << "            claimName: " << claim << "\n";
  return s.str();
}

}  // namespace firedrill::apps
