// What the training ETA counts validations by.
#include <catch2/catch.hpp>

#include "experiment/trainer.h"

using attn::experiment::evaluations_after;

TEST_CASE("evaluations still to come: every N steps and always at the last", "[experiment]") {
  CHECK(evaluations_after(0, 100, 100) == 1);
  CHECK(evaluations_after(0, 1000, 100) == 10);
  CHECK(evaluations_after(100, 1000, 100) == 9);  // step 100's is done
  CHECK(evaluations_after(150, 1000, 100) == 9);
  CHECK(evaluations_after(0, 250, 100) == 3);     // 100, 200 and the last step, 250
  CHECK(evaluations_after(200, 250, 100) == 1);
  CHECK(evaluations_after(250, 250, 100) == 0);   // finished
  CHECK(evaluations_after(300, 250, 100) == 0);
  CHECK(evaluations_after(0, 5, 0) == 5);         // a degenerate period counts every step
}
