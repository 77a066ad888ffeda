#ifndef NEURALKIT_CZLIB_SHIM_H
#define NEURALKIT_CZLIB_SHIM_H

// If this include fails on Linux, install the zlib headers:
//     sudo apt install zlib1g-dev      (Debian, Ubuntu)
//     sudo dnf install zlib-devel      (Fedora)
// On macOS zlib comes with the SDK (Xcode or the Command Line Tools).
#include <zlib.h>

#endif
