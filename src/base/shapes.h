// Shape letters used in every comment and variable name of attn:
//   B batch, T time (Tq queries, Tk keys), C model width, H heads,
//   D head width (C = H * D), V vocabulary size, F feed-forward width.
// Tensors are row-major; a comment such as `// [B, H, Tq, Tk]` gives the shape.
#pragma once
