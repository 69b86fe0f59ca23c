#include "collectors/auth/spf_suite.h"

#include <yaml-cpp/yaml.h>
#include <zlib.h>

#include <utility>

namespace mailrep {
namespace {

std::vector<std::string> Strings(const YAML::Node& node) {
  std::vector<std::string> out;
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) out.push_back(item.as<std::string>());
  } else if (node.IsScalar()) {
    out.push_back(node.as<std::string>());
  }
  return out;
}

Status LoadZone(const YAML::Node& zonedata, MemoryDns& dns) {
  for (const auto& entry : zonedata) {
    std::string name = entry.first.as<std::string>();
    dns.AddName(name);
    bool has_txt = false;
    for (const YAML::Node& item : entry.second) {
      if (item.IsMap() && item.begin()->first.as<std::string>() == "TXT") has_txt = true;
    }
    std::vector<std::vector<std::string>> generated_txt;
    for (const YAML::Node& item : entry.second) {
      if (item.IsScalar() && item.as<std::string>() == "TIMEOUT") {
        dns.AddTimeout(name);
        continue;
      }
      if (!item.IsMap() || item.size() != 1) {
        return Status::InvalidArgument("bad zone entry for " + name);
      }
      std::string type = item.begin()->first.as<std::string>();
      YAML::Node value = item.begin()->second;  // a handle: the iterator is a temporary
      if (type == "A" || type == "AAAA") {
        Status status = dns.AddAddress(name, value.as<std::string>());
        if (!status.ok()) return status;
      } else if (type == "MX") {
        dns.AddMx(name, value[0].as<uint16_t>(), value[1].as<std::string>());
      } else if (type == "PTR") {
        dns.AddPtr(name, value.as<std::string>());
      } else if (type == "CNAME") {
        dns.AddCname(name, value.as<std::string>());
      } else if (type == "TXT" || type == "SPF") {
        std::vector<std::string> strings = Strings(value);
        if (value.IsScalar() && strings.front() == "NONE") continue;
        if (type == "TXT") {
          dns.AddTxt(name, std::move(strings));
        } else if (!has_txt) {
          generated_txt.push_back(std::move(strings));
        }
      } else {
        return Status::InvalidArgument("unknown record type " + type + " for " + name);
      }
    }
    for (std::vector<std::string>& strings : generated_txt) dns.AddTxt(name, std::move(strings));
  }
  return Status::OK();
}

}  // namespace

StatusOr<std::string> ReadSpfSuiteFile(const std::string& path) {
  gzFile file = gzopen(path.c_str(), "rb");  // reads plain files transparently
  if (file == nullptr) return Status::NotFound("cannot open " + path);
  std::string out;
  char buf[65536];
  int n;
  while ((n = gzread(file, buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  bool failed = n < 0;
  gzclose(file);
  if (failed) return Status::IoError("cannot read " + path);
  return out;
}

StatusOr<std::vector<SpfSuiteScenario>> ParseSpfSuite(const std::string& yaml) {
  std::vector<SpfSuiteScenario> scenarios;
  try {
    for (const YAML::Node& document : YAML::LoadAll(yaml)) {
      if (!document.IsMap()) continue;
      SpfSuiteScenario scenario;
      if (document["description"]) {
        scenario.description = document["description"].as<std::string>();
      }
      if (document["zonedata"]) {
        Status status = LoadZone(document["zonedata"], scenario.dns);
        if (!status.ok()) return status.Annotate(scenario.description);
      }
      for (const auto& test : document["tests"]) {
        const YAML::Node& data = test.second;
        SpfSuiteCase c;
        c.name = test.first.as<std::string>();
        if (data["spec"]) {
          for (const std::string& s : Strings(data["spec"]))
            c.spec += (c.spec.empty() ? "" : ", ") + s;
        }
        c.host = data["host"].as<std::string>();
        c.mail_from = data["mailfrom"] ? data["mailfrom"].as<std::string>() : "";
        c.helo = data["helo"] ? data["helo"].as<std::string>() : "";
        c.results = Strings(data["result"]);
        if (data["explanation"]) c.explanation = data["explanation"].as<std::string>();
        scenario.cases.push_back(std::move(c));
      }
      scenarios.push_back(std::move(scenario));
    }
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(std::string("YAML: ") + e.what());
  }
  return scenarios;
}

}  // namespace mailrep
