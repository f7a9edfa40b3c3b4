// Scripts that run one sweep as shards on a cluster and merge the parts: a Slurm job array
// (`firedrill sweep ... --emit slurm`) and a Kubernetes Indexed Job (`--emit k8s`).
//
// Shard K of N (K in 1..N) is `firedrill sweep SCENARIO [--variant V] --trials T --seed S
// --jobs J --shard K/N --json OUT_DIR/part-K.json --quiet`; the merge is `firedrill merge
// OUT_DIR/part-1.json ... OUT_DIR/part-N.json --json MERGED`. Exit status 1 (a target missed)
// counts as success for both: it is a result, not a failure of the job.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace firedrill::apps {

struct EmitPlan {
  std::string firedrill;       // path of the firedrill binary to run (empty: "firedrill")
  std::string scenario;        // scenario file path
  std::string variant;         // a named variant of the file (empty: its base scenario)
  std::uint64_t trials = 0, seed = 0;
  unsigned shards = 4;         // number of array tasks
  unsigned jobs_per_task = 1;  // --jobs inside each task
  std::string out_dir;         // where parts and the merged result go (empty: ".")
  std::string merged;          // merged result file (empty: out_dir/sweep.json)
};

// A bash sbatch script: `#SBATCH --array=1-N`; array task i runs shard i/N. Run with plain
// `bash sweep.sbatch [SBATCH OPTIONS...]` (SLURM_ARRAY_TASK_ID unset) it submits itself as the
// array, then the merge job with --dependency=afterok:<array id>, and prints both job ids.
// Paths are used as given (relative ones are relative to the submit directory) and must be
// valid on the compute nodes. Throws std::invalid_argument for shards or jobs_per_task 0, or
// a path that is empty or holds a newline or NUL.
std::string emit_slurm(const EmitPlan& p);

// A Kubernetes manifest (multi-document YAML): a ReadWriteMany PersistentVolumeClaim, an
// Indexed Job of N pods (pod i runs shard i+1/N) and a suspended merge Job to resume once the
// shards complete (the header says how). The image "firedrill:latest" is a placeholder; the
// claim is mounted at out_dir when it is absolute, else at /data. Throws like emit_slurm.
std::string emit_k8s(const EmitPlan& p);

// POSIX shell quoting: the word unchanged when it needs no quotes, else in single quotes.
std::string shell_quote(const std::string& word);

// The parts the shards write, in shard order: out_dir/part-1.json ... out_dir/part-N.json.
std::vector<std::string> emit_part_paths(const EmitPlan& p);

}  // namespace firedrill::apps
