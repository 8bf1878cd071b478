#!/usr/bin/env bash
# Each src/ level may include only itself and the levels below it (README, "Layout"): data flows one way.
set -u
src=${1:?usage: layering_test.sh SRC_DIR}
declare -A allowed=(
  [base]="base"
  [tensor]="base tensor"
  [kernels]="base tensor kernels"
  [autodiff]="base tensor autodiff"
  [ops]="base tensor kernels autodiff ops"
  [nn]="base tensor kernels autodiff ops nn"
  [models]="base tensor kernels autodiff ops nn models"
  [metrics]="base metrics"
  [data]="base tensor data"
  [viz]="base viz"
  [tasks]="base tensor kernels autodiff ops nn models data metrics tasks"
  [experiment]="base tensor kernels autodiff ops nn models data metrics tasks experiment"
  [bench]="base tensor kernels autodiff ops nn models data metrics tasks bench"
  [cli]="base tensor kernels autodiff ops nn models data metrics viz tasks experiment bench cli"
)
status=0
for level in "${!allowed[@]}"; do
  [ -d "$src/$level" ] || continue
  while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$line")
    if [[ " ${allowed[$level]} " != *" $inc "* ]]; then
      echo "layering violation: $file includes $inc/ (level $level may use: ${allowed[$level]})"
      status=1
    fi
  done < <(grep -rHE '^#include "[a-z_]+/' "$src/$level" || true)
done
exit $status
