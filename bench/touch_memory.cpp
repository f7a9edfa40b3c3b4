// touch_memory MB: maps MB mebibytes of fresh anonymous memory, writes one byte per page, and
// prints "MB seconds microseconds-per-page". bench/run.sh uses it for two things:
//   - the price of a fresh page on this machine (in a virtual machine whose host takes back
//     the guest's free memory, e.g. virtio-balloon free page reporting, a page the guest has
//     not used lately costs the host's fault and zeroing too: measured 6.6 us against 1.7 us);
//   - warming the guest's memory right before a timed topology trial, so that its time is
//     firedrill's and not the host's (the bench records the trial both ways).
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  char* end = nullptr;
  const long mb = argc == 2 ? std::strtol(argv[1], &end, 10) : 0;
  if (argc != 2 || end == argv[1] || *end != '\0' || mb <= 0 || mb > (1L << 20)) {
    std::fprintf(stderr, "usage: touch_memory MB (a positive number of mebibytes)\n");
    return 2;
  }
  const std::size_t bytes = static_cast<std::size_t>(mb) << 20;
  const auto t0 = std::chrono::steady_clock::now();
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    std::perror("touch_memory: mmap");
    return 3;
  }
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  auto* bytes_p = static_cast<volatile char*>(p);
  for (std::size_t i = 0; i < bytes; i += page) bytes_p[i] = 1;
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  munmap(p, bytes);
  std::printf("%ld %.3f %.2f\n", mb, s, s * 1e6 / static_cast<double>(bytes / page));
  return 0;
}
