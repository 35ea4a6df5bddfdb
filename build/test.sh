#!/usr/bin/env bash
# Runs every test that needs nothing outside this repository. Installs what the tests need first:
# Debian's PyTorch (the oracle that checks our exports load in PyTorch) with OpenBLAS under it, and
# libjpeg-turbo's TurboJPEG library (the fast JPEG decoder, held to Skia's pixels). Without OpenBLAS, Debian's
# PyTorch runs on the reference BLAS, 7x slower: the Faster R-CNN oracle alone takes 2 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${SCRL_PYTHON:-/usr/bin/python3}
missing=()
"$python" -c "import torch, torchvision" 2>/dev/null || missing+=(python3-torch python3-torchvision)
libraries="$(/sbin/ldconfig -p)"
[[ "$libraries" == *"libopenblas.so.0 "* ]] || missing+=(libopenblas0)
[[ "$libraries" == *"libturbojpeg.so.0 "* ]] || missing+=(libturbojpeg0)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing what the tests need: ${missing[*]}..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "error: the tests need ${missing[*]}: run 'sudo apt-get install ${missing[*]}'" >&2
    exit 1
  fi
fi

# A test that hangs fails the run after 15 minutes (a whole test project takes under 8), instead of holding it forever.
dotnet test Scrl.Cloud.sln --filter "Category!=Shared" --blame-hang-timeout 15m --blame-hang-dump-type none "$@"
