#!/bin/bash
# Alternating fp32/bf16 rounds of attn bench attention, fused+reference, fwdbwd, no mask.
for r in 1 2; do
  for p in fp32 bf16; do
    echo "# round $r $p $(uptime)"
    OMP_WAIT_POLICY=passive /tmp/attn_bf16_bin bench attention --precision $p --T 512,1024 --mask none --pass fwdbwd --threads 2 --repeats 3 --sgemm-n 1024
  done
done
