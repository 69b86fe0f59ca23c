#include "collectors/auth/dkim_key_record.h"

#include <algorithm>

#include "collectors/auth/tag_list.h"

namespace mailrep {
namespace {

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

std::string_view DkimKeyTypeName(DkimKeyType type) {
  switch (type) {
    case DkimKeyType::kRsa:
      return "rsa";
    case DkimKeyType::kEd25519:
      return "ed25519";
    case DkimKeyType::kUnknown:
      return "unknown";
  }
  return "unknown";
}

bool DkimKeyRecord::testing() const { return Contains(flags, "y"); }
bool DkimKeyRecord::strict_identity() const { return Contains(flags, "s"); }
bool DkimKeyRecord::allows_sha256() const { return hashes.empty() || Contains(hashes, "sha256"); }
bool DkimKeyRecord::for_email() const {
  return Contains(services, "*") || Contains(services, "email");
}

StatusOr<DkimKeyRecord> ParseDkimKeyRecord(std::string_view text) {
  StatusOr<TagList> tags = ParseTagList(text);
  if (!tags.ok()) return tags.status();
  DkimKeyRecord record;
  record.services = {"*"};
  bool has_p = false;
  for (size_t i = 0; i < tags->tags.size(); ++i) {
    const Tag& tag = tags->tags[i];
    if (tag.name == "v") {
      if (i != 0) return Status::InvalidArgument("v= must be the first tag");
      if (tag.value != "DKIM1") {
        return Status::InvalidArgument("v=" + tag.value + " is not DKIM1");
      }
      record.has_version = true;
    } else if (tag.name == "k") {
      record.key_type_text = tag.value;
      if (tag.value == "rsa") {
        record.key_type = DkimKeyType::kRsa;
      } else if (tag.value == "ed25519") {
        record.key_type = DkimKeyType::kEd25519;
      } else {
        record.key_type = DkimKeyType::kUnknown;
      }
    } else if (tag.name == "h") {
      record.hashes = SplitTagValue(tag.value);
    } else if (tag.name == "s") {
      record.services = SplitTagValue(tag.value);
    } else if (tag.name == "t") {
      record.flags = SplitTagValue(tag.value);
    } else if (tag.name == "n") {
      record.notes = tag.value;
    } else if (tag.name == "p") {
      has_p = true;
      for (char c : tag.value) {
        if (!IsTagListSpace(c)) record.public_key_base64.push_back(c);
      }
    }
  }
  if (!has_p) return Status::InvalidArgument("p= (the public key) is missing");
  return record;
}

}  // namespace mailrep
