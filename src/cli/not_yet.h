// Subcommands that are declared but not built yet say so and exit non-zero.
#pragma once

#include "base/error.h"

#define ATTN_NOT_YET(what) ATTN_FAIL(unavailable, what, " is not implemented yet")
