// Entry point of the `attn` command line: builds the CLI11 app from the
// subcommand files, runs the chosen one, and turns errors into exit codes.
#pragma once

namespace attn::cli {

int run(int argc, char** argv);

}  // namespace attn::cli
