#!/usr/bin/env bash
# One-command set-up for a fresh Debian-like machine: the system libraries the native
# kernels build against (when we have the rights), pnpm, the workspace's dependencies
# from the lockfile, a build of every package, and then the main job.
set -euo pipefail
cd "$(dirname "$0")/.."

native_packages=(g++ make python3 libdnnl-dev)

install_system_packages() {
  if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: not a Debian-like system; skipping system packages (the native kernels need g++ and the oneDNN headers)"
    return
  fi
  local missing=()
  for pkg in "${native_packages[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: system packages for the native kernels are present"
    return
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
      echo "setup: missing ${missing[*]}; no root rights, so the native kernels will not build"
      echo "setup: to get them: sudo apt-get install ${missing[*]} && pnpm --filter @cnn/backend build:native"
      return
    fi
  fi
  echo "setup: installing ${missing[*]} with apt-get (for the native kernels)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  echo "setup: installed ${missing[*]}"
}

install_system_packages

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version)" = "$pnpm_version" ]; then
  pnpm=(pnpm)
elif npm install -g "pnpm@$pnpm_version" >/dev/null 2>&1; then
  echo "setup: installed pnpm $pnpm_version with npm"
  pnpm=(pnpm)
else
  echo "setup: using pnpm $pnpm_version through npx (no rights to install it globally)"
  pnpm=(npx -y "pnpm@$pnpm_version")
fi

"${pnpm[@]}" install --frozen-lockfile
"${pnpm[@]}" build
"${pnpm[@]}" start
