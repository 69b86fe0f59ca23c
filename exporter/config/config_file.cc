#include "exporter/config/config_file.h"

#include <yaml-cpp/yaml.h>

#include <exception>

#include "exporter/config/config_node.h"
#include "exporter/util/lines.h"
#include "exporter/util/read_file.h"

namespace mailrep {
namespace {

// Whether every line is blank, a comment or a document marker.
bool HasNoContent(std::string_view text) {
  while (std::optional<std::string_view> next = NextLine(&text)) {
    std::string_view line = *next;
    size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos) {
      line.remove_prefix(first);
      if (line[0] != '#' && !line.starts_with("---") && !line.starts_with("...")) return false;
    }
  }
  return true;
}

// A canonical text of `node`, independent of layout and flow/block style.
void Canonical(const YAML::Node& node, std::string* out) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      *out += std::to_string(node.Scalar().size()) + ":" + node.Scalar();
      break;
    case YAML::NodeType::Sequence:
      *out += "[";
      for (const auto& item : node) Canonical(item, out), *out += ",";
      *out += "]";
      break;
    case YAML::NodeType::Map:
      *out += "{";
      for (const auto& kv : node) {
        Canonical(kv.first, out);
        *out += "=";
        Canonical(kv.second, out);
        *out += ",";
      }
      *out += "}";
      break;
    default:
      *out += "~";
  }
}

}  // namespace

StatusOr<std::string> ReadConfigText(const std::string& path) {
  StatusOr<std::string> text = ReadFileCapped(path, ConfigNode::kMaxInputBytes + 1);
  if (!text.ok()) return Status::IoError("cannot read config file " + text.status().message());
  if (HasNoContent(*text)) {
    return Status::InvalidArgument(
        path +
        ":1:1: the config file has no settings (it is empty or only comments); write at "
        "least one section (e.g. \"collectors: {}\" for every default), or run without "
        "--config.file to use the built-in defaults");
  }
  return text;
}

std::map<std::string, std::string> CollectorFingerprints(
    std::string_view yaml_text, const std::vector<CollectorDefaults>& known) {
  std::map<std::string, std::string> out;
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    std::string common;
    YAML::Node sections;
    if (root.IsMap()) {
      for (const auto& kv : root) {
        if (kv.first.Scalar() == "collectors") {
          sections = kv.second;
          continue;
        }
        Canonical(kv.first, &common);
        common += "=";
        Canonical(kv.second, &common);
        common += ",";
      }
    }
    for (const CollectorDefaults& c : known) {
      std::string& fp = out[c.name];
      fp = common + "\ncollectors." + c.name + "=";
      YAML::Node own;
      if (sections.IsMap()) {
        const YAML::Node& lookup = sections;  // const: a missing key is not inserted
        if (YAML::Node found = lookup[c.name]; found.IsDefined()) own = found;
      }
      Canonical(own, &fp);
    }
  } catch (const std::exception&) {
    out.clear();
    for (const CollectorDefaults& c : known) out[c.name] = std::string(yaml_text);
  }
  return out;
}

}  // namespace mailrep
