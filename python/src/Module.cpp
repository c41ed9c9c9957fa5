//===- Module.cpp - The _mirage_mlir extension module ---------------------===//
//
// Binds the facade (Facade.h) with pybind11. Tensors cross as float32
// numpy arrays plus a dtype name; the Python package (mirage_mlir/) converts
// user arrays and checks them first. Long calls release the GIL.
//
//===----------------------------------------------------------------------===//

#include "Facade.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <stdexcept>

namespace py = pybind11;
using namespace mirage::python;

namespace {

/// The error of every failed facade call; the package raises it as
/// mirage_mlir.MirageError.
struct FacadeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void check(const Status &status) {
  if (!status.ok)
    throw FacadeError(status.message);
}

std::vector<int64_t> checkShape(const Status &status,
                                std::vector<int64_t> shape) {
  if (!status.ok)
    throw py::value_error(status.message);
  return shape;
}

using FloatArray =
    py::array_t<float, py::array::c_style | py::array::forcecast>;

std::vector<HostTensor> toHost(const py::list &arrays,
                               const std::vector<std::string> &dtypes) {
  if (arrays.size() != dtypes.size())
    throw FacadeError("internal: arrays and dtypes differ in number");
  std::vector<HostTensor> tensors;
  for (size_t i = 0; i < arrays.size(); ++i) {
    FloatArray a = py::cast<FloatArray>(arrays[i]);
    HostTensor t;
    t.shape.assign(a.shape(), a.shape() + a.ndim());
    t.dtype = dtypes[i];
    t.data.assign(a.data(), a.data() + a.size());
    tensors.push_back(std::move(t));
  }
  return tensors;
}

/// [(float32 array, dtype name)] of `tensors`.
py::list toPython(const std::vector<HostTensor> &tensors) {
  py::list out;
  for (const HostTensor &t : tensors) {
    std::vector<py::ssize_t> shape(t.shape.begin(), t.shape.end());
    FloatArray a(shape);
    std::copy(t.data.begin(), t.data.end(), a.mutable_data());
    out.append(py::make_tuple(a, t.dtype));
  }
  return out;
}

class PyCpuKernel {
public:
  PyCpuKernel(const std::string &text, const std::string &entry,
              unsigned optLevel) {
    Status status;
    {
      py::gil_scoped_release release;
      status = CpuKernel::compile(text, entry, optLevel, kernel);
    }
    check(status);
  }

  py::list run(const py::list &arrays, const std::vector<std::string> &dtypes) {
    std::vector<HostTensor> inputs = toHost(arrays, dtypes), outputs;
    Status status;
    {
      py::gil_scoped_release release;
      status = kernel->run(inputs, outputs);
    }
    check(status);
    return toPython(outputs);
  }

private:
  std::unique_ptr<CpuKernel> kernel;
};

} // namespace

PYBIND11_MODULE(_mirage_mlir, m) {
  m.doc() = "Mirage-MLIR's C++ libraries for the mirage_mlir package";
  py::register_exception<FacadeError>(m, "Error", PyExc_RuntimeError);

  m.def("infer_matmul", [](std::vector<int64_t> a, std::vector<int64_t> b) {
    std::vector<int64_t> out;
    return checkShape(inferMatmul(a, b, out), out);
  });
  m.def("infer_broadcast", [](std::vector<int64_t> a, std::vector<int64_t> b) {
    std::vector<int64_t> out;
    return checkShape(inferBroadcast(a, b, out), out);
  });
  m.def("infer_reduction",
        [](std::vector<int64_t> a, int64_t dim, int64_t size) {
          std::vector<int64_t> out;
          return checkShape(inferReduction(a, dim, size, out), out);
        });
  m.def("check_rms_norm", [](std::vector<int64_t> a, std::vector<int64_t> n) {
    Status status = checkRmsNorm(a, n);
    if (!status.ok)
      throw py::value_error(status.message);
  });
  m.def("infer_loader_tile",
        [](std::vector<int64_t> tensor, std::vector<int64_t> imap, int64_t fmap,
           std::vector<int64_t> grid, std::vector<int64_t> block,
           int64_t forloop, int64_t dimx) {
          std::vector<int64_t> out;
          return checkShape(inferLoaderTile(tensor, imap, fmap, grid, block,
                                            forloop, dimx, out),
                            out);
        });
  m.def("infer_saver_tensor",
        [](std::vector<int64_t> tile, std::vector<int64_t> omap,
           std::vector<int64_t> grid, std::vector<int64_t> block,
           int64_t forloop, int64_t dimx) {
          std::vector<int64_t> out;
          return checkShape(
              inferSaverTensor(tile, omap, grid, block, forloop, dimx, out),
              out);
        });
  m.def("infer_accum",
        [](const std::string &kind, std::vector<int64_t> a, int64_t dimx) {
          std::vector<int64_t> out;
          return checkShape(inferAccum(kind, a, dimx, out), out);
        });

  m.def("verify", [](const std::string &text) { check(verify(text)); });
  m.def("describe", [](const std::string &text, const std::string &entry) {
    std::string json;
    check(describe(text, entry, json));
    return json;
  });
  m.def("superoptimize",
        [](const std::string &text, const std::string &options) {
          std::string result, remarks;
          Status status;
          {
            py::gil_scoped_release release;
            status = superoptimize(text, options, result, remarks);
          }
          check(status);
          return py::make_tuple(result, remarks);
        });
  m.def("interpret",
        [](const std::string &text, const std::string &entry,
           const py::list &arrays, const std::vector<std::string> &dtypes) {
          std::vector<HostTensor> inputs = toHost(arrays, dtypes), outputs;
          Status status;
          {
            py::gil_scoped_release release;
            status = interpret(text, entry, inputs, outputs);
          }
          check(status);
          return toPython(outputs);
        });
  m.def("random_inputs", [](const std::string &text, const std::string &entry,
                            uint64_t seed, double scale) {
    std::vector<HostTensor> inputs;
    check(randomInputs(text, entry, seed, scale, inputs));
    return toPython(inputs);
  });
  m.def("compare", [](const py::list &got, const py::list &expected,
                      const std::vector<std::string> &dtypes) {
    std::string verdict;
    bool passed = false;
    check(compareOutputs(toHost(got, dtypes), toHost(expected, dtypes), verdict,
                         passed));
    return py::make_tuple(passed, verdict);
  });
  m.def("cost", [](const std::string &text, const std::string &entry,
                   const std::string &gpu) {
    double seconds = 0;
    std::string json;
    check(cost(text, entry, gpu, seconds, json));
    return py::make_tuple(seconds, json);
  });
  m.def("write_bundle", [](const std::string &text, const std::string &dir,
                           const std::string &chip) {
    Status status;
    {
      py::gil_scoped_release release;
      status = writeBundle(text, dir, chip);
    }
    check(status);
  });
  py::class_<PyCpuKernel>(m, "CpuKernel")
      .def(py::init<const std::string &, const std::string &, unsigned>())
      .def("run", &PyCpuKernel::run);
}
