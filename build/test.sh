#!/usr/bin/env bash
# Runs every test that needs nothing outside this repository. Installs what the tests need first:
# Debian's PyTorch (the oracle that checks our exports load in PyTorch).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${SCRL_PYTHON:-/usr/bin/python3}
if ! "$python" -c "import torch, torchvision" 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's python3-torch and python3-torchvision (the PyTorch oracle for interop tests)..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-torchvision >/dev/null
  else
    echo "error: the interop tests need PyTorch at $python: run 'sudo apt-get install python3-torch python3-torchvision'" >&2
    exit 1
  fi
fi

dotnet test Scrl.Cloud.sln --filter "Category!=Shared" "$@"
