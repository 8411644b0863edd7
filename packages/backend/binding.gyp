{
  "targets": [
    {
      "target_name": "cnn_native",
      "sources": [
        "native/addon.cc",
        "native/guard.cc",
        "native/dnnl_context.cc",
        "native/matmul.cc",
        "native/geometry.cc",
        "native/conv.cc",
        "native/pool.cc",
        "native/binary.cc",
        "native/unary.cc",
        "native/reduce.cc",
        "native/tile.cc",
        "native/batchnorm.cc",
        "native/optimizers.cc",
        "native/batchnorm_train.cc",
        "native/cross_entropy.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_CPP_EXCEPTIONS_ALL"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O3", "-march=native", "-fno-math-errno", "-fopenmp", "-fexceptions"],
      "ldflags": ["-fopenmp"],
      "libraries": ["-ldnnl", "-lgomp"]
    }
  ]
}
