#include "cli/app.h"

int main(int argc, char** argv) { return attn::cli::run(argc, argv); }
