#pragma once
// Sweeps run their trials in forked processes that each allocate a fresh heap; on virtual
// machines every page fault is costly, and they were a third of a sweep's CPU time. glibc can
// back its heap with transparent huge pages (tunable glibc.malloc.hugetlb=1, glibc >= 2.35),
// but reads its tunables only when a program starts. So a `sweep` or `compare` whose
// environment does not set that tunable re-executes itself once with it set; any other
// command, or a GLIBC_TUNABLES that already names it (e.g. hugetlb=0 to opt out), runs as is.
// Results do not depend on it: only where malloc gets its memory changes. Under valgrind, set
// GLIBC_TUNABLES yourself (bench/profile.sh does), or the re-executed program runs natively.

namespace firedrill::apps {

void reexec_with_heap_huge_pages(int argc, char** argv);

}  // namespace firedrill::apps
