//===- Bundle.cpp - Loading a bundle from disk ----------------------------===//

#include "MirageRuntime/Bundle.h"
#include "MirageRuntime/File.h"

#include <algorithm>
#include <dirent.h>
#include <vector>

using namespace mirage::rt;

/// The manifest of a bundle directory: its only *.json file.
static Expected<std::string> findManifest(const std::string &dir) {
  DIR *d = ::opendir(dir.c_str());
  if (!d)
    return Status::error(dir + ": cannot open the bundle directory");
  std::vector<std::string> manifests;
  while (struct dirent *e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0)
      manifests.push_back(name);
  }
  ::closedir(d);
  std::sort(manifests.begin(), manifests.end());
  if (manifests.empty())
    return Status::error(dir + ": no manifest (*.json) in the bundle "
                               "directory");
  if (manifests.size() > 1) {
    std::string list;
    for (const std::string &m : manifests)
      list += (list.empty() ? "" : ", ") + m;
    return Status::error(dir + ": " + std::to_string(manifests.size()) +
                         " manifests in the bundle directory (" + list +
                         "); name one");
  }
  std::string base = dir;
  while (base.size() > 1 && base.back() == '/')
    base.pop_back();
  return base + "/" + manifests.front();
}

/// Checks a parsed manifest against its PTX and assembles the bundle.
static Expected<Bundle> assemble(Manifest manifest, const std::string &ptx,
                                 const std::string &manifestName) {
  Status s = checkManifestAgainstPtx(manifest, ptx);
  if (!s.ok())
    return s.withContext(manifestName);
  Bundle bundle;
  bundle.manifestPath = manifestName;
  bundle.manifest = std::move(manifest);
  bundle.ptx = ptx;
  return bundle;
}

Expected<Bundle>
mirage::rt::loadBundleFromText(const std::string &manifestText,
                               const std::string &ptxText,
                               const std::string &manifestName) {
  Expected<Manifest> manifest = parseManifest(manifestText);
  if (!manifest)
    return manifest.status().withContext(manifestName);
  return assemble(std::move(*manifest), ptxText, manifestName);
}

Expected<Bundle> mirage::rt::loadBundle(const std::string &path) {
  std::string manifestPath = path;
  if (isDirectory(path)) {
    Expected<std::string> found = findManifest(path);
    if (!found)
      return found.status();
    manifestPath = *found;
  }
  Expected<std::string> manifestText = readFile(manifestPath);
  if (!manifestText)
    return manifestText.status();
  Expected<Manifest> manifest = parseManifest(*manifestText);
  if (!manifest)
    return manifest.status().withContext(manifestPath);
  std::string ptxPath = siblingPath(manifestPath, manifest->ptx);
  Expected<std::string> ptx = readFile(ptxPath);
  if (!ptx)
    return ptx.status().withContext(manifestPath + ": ptx");
  Expected<Bundle> bundle = assemble(std::move(*manifest), *ptx, manifestPath);
  if (bundle)
    bundle->ptxPath = ptxPath;
  return bundle;
}
