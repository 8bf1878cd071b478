#include "base/worker_threads.h"

#include <omp.h>
#include <pthread.h>

#include <cstring>
#include <vector>

#include "base/error.h"

namespace attn {

namespace {
void* idle(void*) { return nullptr; }
}  // namespace

void set_worker_threads(int threads) {
  // All alive at once, as libgomp's team is: their stacks must fit together.
  std::vector<pthread_t> started;
  int failure = 0;
  for (int i = 1; i < threads && failure == 0; ++i) {
    pthread_t t;
    failure = pthread_create(&t, nullptr, idle, nullptr);
    if (failure == 0) started.push_back(t);
  }
  for (pthread_t t : started) pthread_join(t, nullptr);
  ATTN_CHECK(failure == 0, usage, "cannot start ", threads, " worker threads (", std::strerror(failure), " after ",
             started.size() + 1, "); lower --threads");
  omp_set_num_threads(threads);
  // Start libgomp's team now, while the memory the probe used is free again.
#pragma omp parallel
  {
  }
}

}  // namespace attn
