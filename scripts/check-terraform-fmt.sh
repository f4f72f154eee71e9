#!/usr/bin/env bash
# `npm run check:terraform`: terraform fmt -check on terraform/ where the terraform binary exists (it is
# not an npm package, so the machines running `npm test` may lack it). Says so when it cannot check,
# instead of passing silently. Names are checked against the provider schemas by npm test; `terraform
# validate` needs the provider download and runs in the deploy pipeline (docs/deployment.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v terraform >/dev/null 2>&1; then
  echo "terraform not on PATH: fmt check skipped"
  exit 0
fi
CHECKPOINT_DISABLE=1 terraform fmt -check -diff -recursive terraform
echo "terraform fmt: terraform/ is formatted"
